import Foundation

/// One source file: where it is, what the load manifest calls it, and how big it is.
public struct SourceFile: Equatable, Sendable {
    /// Where `name` is below: the source folder with its slash, or `s3://bucket/prefix/`. One
    /// string shared by every file of a folder: a million song files listed once cost 320 MB
    /// when each also kept its whole path.
    public let prefix: String
    /// The path below the source folder (or the key below the prefix): the manifest's key, so
    /// the same data moved to another folder is still recognised as loaded.
    public let name: String
    public var bytes: Int
    /// S3's ETag for an object (nil for a local file): a changed object is loaded again.
    public var etag: String? = nil

    /// A local path, or `s3://bucket/key` for an S3 object.
    public var path: String { prefix + name }

    public init(prefix: String, name: String, bytes: Int, etag: String? = nil) {
        self.prefix = prefix
        self.name = name
        self.bytes = bytes
        self.etag = etag
    }

    /// A file known by its whole path, `name` being its end.
    public init(path: String, name: String, bytes: Int, etag: String? = nil) {
        precondition(path.hasSuffix(name), "a file's name is the end of its path")
        self.init(prefix: String(path.dropLast(name.count)), name: name, bytes: bytes, etag: etag)
    }
}

/// A folder of JSON source files (`log_data/` or `song_data/`), walked in name order so loads
/// are repeatable and line numbers in messages point at the same file every time. An S3 prefix
/// is listed into the same shape (`S3Folder.swift`).
public struct SourceFolder: Sendable {
    public var path: String
    public var files: [SourceFile]
    public var totalBytes: Int { files.reduce(0) { $0 + $1.bytes } }

    init(path: String, files: [SourceFile]) {
        self.path = path
        self.files = files
    }

    /// A local folder, or an S3 prefix when `location` is an s3:// address.
    public static func list(_ location: String, s3: S3Access?) throws -> SourceFolder {
        if let remote = try S3Location(location) {
            return try SourceFolder(listing: remote, access: s3 ?? S3Access.resolve(config: nil))
        }
        return try SourceFolder(path: location)
    }

    /// Lists a local folder whole (`FileListing` hands files out while it lists).
    public init(path: String) throws {
        self.path = path
        files = try FileListing.start(path, s3: nil).all()
    }

    struct Entry {
        var name: String
        var isFolder: Bool
        var bytes: Int
    }

    /// A folder's visible entries (.json files and subfolders), in name order. A plain readdir:
    /// a song folder holds a hundred thousand files, and Foundation's enumerator spent longer
    /// listing them than the load spent reading them. Entries are examined relative to the
    /// folder's descriptor, so no path is resolved twice.
    static func entries(of folder: String) throws -> [Entry] {
        guard let directory = opendir(folder) else {
            throw SourceError(path: folder, problem: "cannot be read: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            // Hidden entries (editors' leftovers, checkpoint folders) are not data.
            if name.hasPrefix(".") { continue }
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) {
                entries.append(Entry(name: name, isFolder: true, bytes: 0))
                continue
            }
            // Some filesystems do not say an entry's type (DT_UNKNOWN): stat those whatever their name.
            guard type == UInt8(DT_UNKNOWN) || name.lowercased().hasSuffix(".json") else { continue }
            var info = stat()
            guard fstatat(descriptor, name, &info, 0) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: entries.append(Entry(name: name, isFolder: true, bytes: 0))
            case S_IFREG where name.lowercased().hasSuffix(".json"): entries.append(Entry(name: name, isFolder: false, bytes: Int(info.st_size)))
            default: continue
            }
        }
        return entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
