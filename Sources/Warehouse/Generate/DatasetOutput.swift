import Foundation

/// Files of a dataset being written: folders made once, small files in one call each, the
/// current log file through a large buffer.
final class DatasetOutput {
    let root: String
    private var madeFolders = Set<String>()
    private(set) var bytesWritten = 0
    private var log: Int32 = -1
    private var logBuffer: [UInt8] = []
    private var logPath = ""

    init(root: String) throws {
        self.root = root
        try makeFolder("")
    }

    deinit { try? closeLog() }

    private func makeFolder(_ relative: String) throws {
        guard !madeFolders.contains(relative) else { return }
        let path = relative.isEmpty ? root : root + "/" + relative
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SourceError(path: path, problem: "cannot create the folder: \(error.localizedDescription)")
        }
        madeFolders.insert(relative)
    }

    func writeFile(_ relative: String, _ data: Data) throws {
        let path = root + "/" + relative
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw SourceError(path: path, problem: "cannot be written")
        }
        bytesWritten += data.count
    }

    func writeSmallFile(folder: String, name: String, _ bytes: [UInt8]) throws {
        try makeFolder(folder)
        let path = root + "/" + folder + "/" + name
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SourceError(path: path, problem: "cannot be written: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        try writeAll(descriptor, bytes, path: path)
        bytesWritten += bytes.count
    }

    /// Starts the log file `relative` (closing the one before). Returns false if it is the current one.
    func openLog(folder: String, name: String) throws {
        try closeLog()
        try makeFolder(folder)
        logPath = root + "/" + folder + "/" + name
        log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw SourceError(path: logPath, problem: "cannot be written: \(String(cString: strerror(errno)))") }
        logBuffer.reserveCapacity(1 << 20)
    }

    func appendLog(_ bytes: [UInt8]) throws {
        logBuffer.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if logBuffer.count >= 1 << 20 { try flushLog() }
    }

    func closeLog() throws {
        guard log >= 0 else { return }
        try flushLog()
        close(log)
        log = -1
    }

    private func flushLog() throws {
        try writeAll(log, logBuffer, path: logPath)
        logBuffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SourceError(path: path, problem: "write failed: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }
}
