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
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw SourceError(path: path, problem: "cannot be read")
        }
        var found: [SourceFile] = []
        while let relative = walker.nextObject() as? String {
            let last = (relative as NSString).lastPathComponent
            if last.hasPrefix(".") {
                // Editors' and checkpoint folders' leftovers are not data.
                if walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { walker.skipDescendants() }
                continue
            }
            guard last.lowercased().hasSuffix(".json") else { continue }
            let full = (path as NSString).appendingPathComponent(relative)
            var info = stat()
            guard stat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            found.append(SourceFile(path: full, name: relative, bytes: Int(info.st_size)))
        }
        guard !found.isEmpty else { throw SourceError(path: path, problem: "holds no .json files") }
        files = found.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
