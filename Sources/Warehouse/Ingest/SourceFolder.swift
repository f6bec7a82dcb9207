import Foundation

/// One source file: where it is, what the load manifest calls it, and how big it is.
public struct SourceFile: Equatable, Sendable {
    public var path: String
    /// The path below the source folder: the manifest's key, so the same data moved to another
    /// folder is still recognised as loaded.
    public var name: String
    public var bytes: Int
}

/// A folder of JSON source files (`log_data/` or `song_data/`), walked in name order so loads
/// are repeatable and line numbers in messages point at the same file every time.
public struct SourceFolder: Sendable {
    public var path: String
    public var files: [SourceFile]
    public var totalBytes: Int { files.reduce(0) { $0 + $1.bytes } }

    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SourceError(path: path, problem: "no such folder")
        }
        guard isDirectory.boolValue else { throw SourceError(path: path, problem: "is not a folder") }
        var found: [SourceFile] = []
        try Self.walk(path, relative: "", into: &found)
        guard !found.isEmpty else { throw SourceError(path: path, problem: "holds no .json files") }
        files = found
    }

    /// A plain readdir walk in name order: a song folder holds a hundred thousand files, and
    /// Foundation's enumerator spent longer listing them than the load spent reading them.
    /// Entries are examined relative to their folder's descriptor, so no path is resolved twice.
    private static func walk(_ folder: String, relative: String, into found: inout [SourceFile]) throws {
        guard let directory = opendir(folder) else {
            throw SourceError(path: folder, problem: "cannot be read: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var entries: [(name: String, isFolder: Bool, bytes: Int)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            // Hidden entries (editors' leftovers, checkpoint folders) are not data.
            if name.hasPrefix(".") { continue }
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) { entries.append((name, true, 0)); continue }
            // Some filesystems do not say an entry's type (DT_UNKNOWN): stat those whatever their name.
            guard type == UInt8(DT_UNKNOWN) || name.lowercased().hasSuffix(".json") else { continue }
            var info = stat()
            guard fstatat(descriptor, name, &info, 0) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: entries.append((name, true, 0))
            case S_IFREG where name.lowercased().hasSuffix(".json"): entries.append((name, false, Int(info.st_size)))
            default: continue
            }
        }
        entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for entry in entries {
            let inside = relative.isEmpty ? entry.name : relative + "/" + entry.name
            if entry.isFolder {
                try walk(folder + "/" + entry.name, relative: inside, into: &found)
            } else {
                found.append(SourceFile(path: folder + "/" + entry.name, name: inside, bytes: entry.bytes))
            }
        }
    }
}
