import CFileCache
import Foundation

/// Reads a source file in large blocks and hands out its lines without copying them. Blank
/// lines are skipped (the logs have some between records), a last line without a newline is
/// still a line, and a line longer than `maximumLineBytes` is reported, not buffered whole.
struct SourceLines {
    enum Line {
        case record(number: Int, bytes: UnsafeBufferPointer<UInt8>)
        /// A line over the limit: its first bytes, for the rejects table.
        case overlong(number: Int, prefix: [UInt8])
    }

    static let maximumLineBytes = 10 * 1024 * 1024
    fileprivate static let blockSize = 1 << 20

    /// A read buffer reused from file to file: song folders hold a hundred thousand small
    /// files, and a fresh megabyte for each costs more than reading them.
    final class Buffer {
        fileprivate var bytes: UnsafeMutableBufferPointer<UInt8>
        init() { bytes = .allocate(capacity: SourceLines.blockSize) }
        deinit { bytes.deallocate() }
    }

    let file: SourceFile
    /// -1 when the bytes were given (an S3 object fetched whole).
    private let descriptor: Int32
    private let given: [UInt8]?
    private var givenOffset = 0
    private let storage: Buffer
    private var buffer: UnsafeMutableBufferPointer<UInt8> {
        get { storage.bytes }
        nonmutating set { storage.bytes = newValue }
    }
    private var start = 0, end = 0
    private var lineNumber = 0
    private var reachedEnd = false
    private var totalRead = 0
    /// The file is one record however many lines it spans (a song file, maybe pretty-printed).
    private let wholeFile: Bool
    private var wholeFileRead = false
    /// A whole-file record over the limit: the rest of it was never read.
    private var overlongWholeFile = false
    /// The file's first bytes were not in the page cache: the disk is cold, and the copy starts
    /// reading ahead (`FilePrefetch`).
    private(set) var startedCold = false

    init(_ file: SourceFile, buffer: Buffer = Buffer(), wholeFile: Bool = false) throws {
        self.file = file
        storage = buffer
        self.wholeFile = wholeFile
        given = nil
        // A plain file is opened without following a link: one put in its place since the
        // listing must not lead the load out of the source folder.
        let flags = O_RDONLY | O_CLOEXEC | (file.throughLink ? 0 : O_NOFOLLOW)
        descriptor = file.withFileSystemPath { open($0, flags) }
        guard descriptor >= 0 else {
            throw SourceError(path: file.path, problem: "cannot be opened: \(String(cString: strerror(errno)))")
        }
        if file.throughLink { try checkInsideSource() }
    }

    /// A link the listing found pointing inside the source folder: what was opened must still be
    /// inside (the link may have been changed since).
    private func checkInsideSource() throws {
        var opened = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/fd/\(descriptor)", &opened, opened.count - 1)
        let root = FileListing.identity(of: file.prefix)
        guard length > 0, String(decoding: opened.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix(root + "/") else {
            close()
            throw SourceError(path: file.path, problem: "now leads out of the source folder: not read")
        }
    }

    /// After the last line: the file must have been read whole and unchanged, as the listing
    /// saw it (its size, and its modification time), or the rows sent for it are not the file's.
    /// A local file written to while it was read fails its step (which rolls back): loaded
    /// again, it is read whole.
    func checkReadWhole() throws {
        if let given {
            guard given.count == file.bytes else {
                throw SourceError(path: file.path, problem: "arrived with \(given.count) bytes where its listing said \(file.bytes)")
            }
            return
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw SourceError(path: file.path, problem: "cannot be examined after reading: \(String(cString: strerror(errno)))")
        }
        let changed = Int(info.st_size) != file.bytes || (file.modifiedNanos.map { $0 != info.modifiedNanos } ?? false)
        guard !changed, totalRead == file.bytes || overlongWholeFile else {
            let now = Int(info.st_size) == file.bytes ? "its modification time changed" : "\(file.bytes) bytes when listed, \(info.st_size) now"
            throw SourceError(
                path: file.path,
                problem: "changed while it was loaded (\(now)): nothing of this step was kept; run the load again once it is written")
        }
    }

    /// Lines of bytes already in memory, with the same rules and line numbers as a file's.
    init(_ file: SourceFile, bytes: [UInt8], buffer: Buffer = Buffer(), wholeFile: Bool = false) {
        self.file = file
        storage = buffer
        self.wholeFile = wholeFile
        descriptor = -1
        given = bytes
    }

    func close() {
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
    }

    /// The next non-blank line; valid until the next call. Nil at the end of the file.
    mutating func next() throws -> Line? {
        if wholeFile { return try nextWholeFile() }
        while true {
            if let newline = findNewline() {
                lineNumber += 1
                let line = withoutBOM(UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                start = newline + 1
                if line.count > Self.maximumLineBytes {
                    return .overlong(number: lineNumber, prefix: Array(line.prefix(1024)))
                }
                if isBlank(line) { continue }
                return .record(number: lineNumber, bytes: line)
            }
            if reachedEnd {
                guard start < end else { return nil }
                lineNumber += 1
                let line = withoutBOM(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                start = end
                if line.count > Self.maximumLineBytes {
                    return .overlong(number: lineNumber, prefix: Array(line.prefix(1024)))
                }
                if isBlank(line) { return nil }
                return .record(number: lineNumber, bytes: line)
            }
            if end - start >= Self.maximumLineBytes {
                lineNumber += 1
                let prefix = Array(buffer[start..<start + 1024])
                try skipRestOfLine()
                return .overlong(number: lineNumber, prefix: prefix)
            }
            try fill()
        }
    }

    /// The whole file as one record, numbered line 1: its line breaks are JSON whitespace.
    private mutating func nextWholeFile() throws -> Line? {
        guard !wholeFileRead else { return nil }
        wholeFileRead = true
        while !reachedEnd, end - start <= Self.maximumLineBytes { try fill() }
        lineNumber = 1
        if end - start > Self.maximumLineBytes {
            overlongWholeFile = true
            return .overlong(number: 1, prefix: Array(buffer[start..<start + 1024]))
        }
        let all = withoutBOM(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        start = end
        return isBlank(all) || all.allSatisfy({ $0 == 0x0A }) ? nil : .record(number: 1, bytes: all)
    }

    /// A file saved with a UTF-8 byte order mark starts with it: it is no part of the record.
    private func withoutBOM(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard lineNumber == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF else { return line }
        return UnsafeBufferPointer(rebasing: line[3...])
    }

    private func findNewline() -> Int? {
        guard start < end, let base = buffer.baseAddress else { return nil }
        guard let found = memchr(base + start, 0x0A, end - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || ($0 == 0x0A && wholeFile) }
    }

    /// Moves the unread tail to the front, grows the buffer if a line fills it, and reads more.
    private mutating func fill() throws {
        if start > 0 {
            if end > start, let base = buffer.baseAddress { memmove(base, base + start, end - start) }
            end -= start
            start = 0
        }
        if end == buffer.count {
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            _ = larger.initialize(from: buffer[0..<end])
            buffer.deallocate()
            buffer = larger
        }
        if let given {
            let got = min(given.count - givenOffset, buffer.count - end)
            if got > 0 {
                given.withUnsafeBufferPointer { source in
                    _ = memcpy(buffer.baseAddress! + end, source.baseAddress! + givenOffset, got)
                }
            }
            givenOffset += got
            end += got
            if givenOffset == given.count { reachedEnd = true }
            return
        }
        var got = -1
        if totalRead == 0 {
            // The first read asks the page cache only, to learn whether the file is cold.
            got = sparkify_read_if_cached(descriptor, buffer.baseAddress! + end, UInt(buffer.count - end))
            if got < 0 && errno == EAGAIN { startedCold = true }
        }
        if got < 0 { got = read(descriptor, buffer.baseAddress! + end, buffer.count - end) }
        guard got >= 0 else {
            throw SourceError(path: file.path, problem: "read failed: \(String(cString: strerror(errno)))")
        }
        if got == 0 { reachedEnd = true }
        end += got
        totalRead += got
        // The listing gave the size: once that much is read, skip the read that would return 0
        // (a hundred thousand song files make that a hundred thousand system calls).
        if got > 0 && totalRead >= file.bytes { reachedEnd = true }
    }

    /// Discards bytes up to and including the next newline, however far away it is.
    private mutating func skipRestOfLine() throws {
        while true {
            if let newline = findNewline() {
                start = newline + 1
                return
            }
            start = end
            if reachedEnd { return }
            try fill()
        }
    }
}
