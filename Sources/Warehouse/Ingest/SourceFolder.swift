import Foundation

/// One source file: where it is, what the load manifest calls it, and what identifies its
/// content (size with S3's ETag, or with the local file's modification time).
public struct SourceFile: Equatable, Sendable {
    /// Where `name` is below: the source folder with its slash, or `s3://bucket/prefix/`. One
    /// string shared by every file of a folder: a million song files listed once cost 320 MB
    /// when each also kept its whole path.
    public let prefix: String
    /// The path below the source folder (or the key below the prefix): the manifest's key,
    /// within the manifest's source. A name that is not UTF-8 is shown with its odd bytes
    /// escaped (`\xff`), and `rawName` holds it as it is.
    public let name: String
    public var bytes: Int
    /// S3's ETag for an object (nil for a local file): a changed object is loaded again.
    public var etag: String? = nil
    /// A local file's modification time in nanoseconds since the epoch: with the size, what
    /// says the file changed since its last load.
    public var modifiedNanos: Int64? = nil
    /// `name`'s bytes when they are not UTF-8: the file is opened by these.
    public var rawName: [UInt8]? = nil
    /// The entry is a link (to a file inside the source folder): opened through it, and checked
    /// again once open, since the link may have changed since the listing.
    public var throughLink = false

    /// A local path, or `s3://bucket/key` for an S3 object.
    public var path: String { prefix + name }

    public init(prefix: String, name: String, bytes: Int, etag: String? = nil, modifiedNanos: Int64? = nil) {
        self.prefix = prefix
        self.name = name
        self.bytes = bytes
        self.etag = etag
        self.modifiedNanos = modifiedNanos
    }

    /// A file known by its whole path, `name` being its end.
    public init(path: String, name: String, bytes: Int, etag: String? = nil) {
        precondition(path.hasSuffix(name), "a file's name is the end of its path")
        self.init(prefix: String(path.dropLast(name.count)), name: name, bytes: bytes, etag: etag)
    }

    /// The path as the file system knows it (with a name's own bytes), for `open`.
    func withFileSystemPath<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        var bytes = Array(prefix.utf8)
        if let rawName { bytes += rawName } else { bytes += name.utf8 }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try $0.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) } }
    }

    /// Whether this file holds what the manifest recorded of its earlier load: the same size,
    /// and the same ETag or modification time where both are known.
    func sameContent(bytes: Int, etag: String?, modifiedNanos: Int64?) -> Bool {
        guard bytes == self.bytes else { return false }
        if let etag, let mine = self.etag { return etag == mine }
        if let modifiedNanos, let mine = self.modifiedNanos { return modifiedNanos == mine }
        // A row without either cannot tell: the size alone must do.
        return true
    }
}

extension stat {
    /// The modification time in nanoseconds since the epoch: what, with the size, says a file
    /// changed (the listing records it, the reader compares it after reading).
    var modifiedNanos: Int64 { Int64(st_mtim.tv_sec) * 1_000_000_000 + Int64(st_mtim.tv_nsec) }
}

/// File names as bytes: most are UTF-8; one that is not is still loaded, and shown escaped.
enum FileName {
    /// The name as text: itself when UTF-8, else with each byte that is not part of a valid
    /// character written `\xNN`. Nil in `raw` when the name was UTF-8.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> (text: String, raw: [UInt8]?) {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, nil) }
        var text = ""
        var index = 0
        while index < bytes.count {
            // The longest valid character starting here, else one escaped byte.
            var taken = 0
            for length in (1...4).reversed() where index + length <= bytes.count {
                if let piece = String(validating: UnsafeBufferPointer(rebasing: bytes[index..<index + length]), as: UTF8.self),
                    piece.unicodeScalars.count == 1
                {
                    text += piece
                    taken = length
                    break
                }
            }
            if taken == 0 {
                text += "\\x" + String(bytes[index], radix: 16, uppercase: false).leftPadded(to: 2)
                taken = 1
            }
            index += taken
        }
        return (text, Array(bytes))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
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
        /// The name's bytes when they are not UTF-8.
        var rawName: [UInt8]? = nil
        var isFolder: Bool
        var bytes: Int = 0
        var modifiedNanos: Int64 = 0
        var throughLink = false
        /// Not read, and why: a link leading out of the source folder, an entry that cannot be
        /// examined. The listing names it in the load's notes.
        var problem: String? = nil

        /// A subfolder; one whose name is not UTF-8 is named, not walked (its files' paths would
        /// need bytes all the way down).
        static func folder(_ name: String, raw: [UInt8]?) -> Entry {
            Entry(name: name, rawName: raw, isFolder: true, problem: raw == nil ? nil : "a folder whose name is not UTF-8, not listed")
        }
    }

    /// A folder's visible entries (.json files and subfolders), in name order. A plain readdir:
    /// a song folder holds a hundred thousand files, and Foundation's enumerator spent longer
    /// listing them than the load spent reading them. Entries are examined relative to the
    /// folder's descriptor, so no path is resolved twice. `root`: the source folder's real
    /// path; a link is followed only to a file inside it (anyone who can write into a source
    /// folder must not be able to load any file the loader's account can read).
    static func entries(of folder: String, root: String) throws -> [Entry] {
        guard let directory = opendir(folder) else {
            throw SourceError(path: folder, problem: "cannot be read: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var entries: [Entry] = []
        while let entry = readdir(directory) {
            // The name's bytes, as they are: one that is not UTF-8 is still a file to load. Read
            // in place (a song folder lists a hundred thousand names; no copy for the usual ones).
            let cName = UnsafeRawPointer(entry).advanced(by: MemoryLayout<dirent>.offset(of: \dirent.d_name)!)
                .assumingMemoryBound(to: CChar.self)
            // Hidden entries (editors' leftovers, checkpoint folders) are not data.
            if cName.pointee == CChar(UInt8(ascii: ".")) { continue }
            let (name, raw) =
                String(validatingCString: cName).map { ($0, nil) }
                ?? UnsafeRawPointer(cName).withMemoryRebound(to: UInt8.self, capacity: strlen(cName)) {
                    FileName.text(UnsafeBufferPointer(start: $0, count: strlen(cName)))
                }
            let type = entry.pointee.d_type
            if type == UInt8(DT_DIR) {
                entries.append(.folder(name, raw: raw))
                continue
            }
            // Some filesystems do not say an entry's type (DT_UNKNOWN): examine those whatever their name.
            let isJSON = name.lowercased().hasSuffix(".json")
            guard type == UInt8(DT_UNKNOWN) || isJSON else { continue }
            var info = stat()
            let examined = fstatat(descriptor, cName, &info, AT_SYMLINK_NOFOLLOW)
            guard examined == 0 else {
                if isJSON {
                    entries.append(Entry(name: name, isFolder: false, problem: "cannot be examined (\(String(cString: strerror(errno)))), not read"))
                }
                continue
            }
            var throughLink = false
            if info.st_mode & S_IFMT == S_IFLNK {
                // Linked folders are not followed; a linked file only to a file inside the source.
                guard isJSON else { continue }
                var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let linkPath =
                    Array(folder.utf8CString.dropLast()) + [CChar(bitPattern: UInt8(ascii: "/"))]
                    + Array(UnsafeBufferPointer(start: cName, count: strlen(cName) + 1))
                guard realpath(linkPath, &resolved) != nil else {
                    entries.append(
                        Entry(name: name, isFolder: false, problem: "a link to nothing readable (\(String(cString: strerror(errno)))), not read"))
                    continue
                }
                let real = String(decoding: resolved.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard real.hasPrefix(root + "/") else {
                    entries.append(Entry(name: name, isFolder: false, problem: "→ \(real): outside the source folder, not read"))
                    continue
                }
                guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                    entries.append(Entry(name: name, isFolder: false, problem: "→ \(real): not a file, not read"))
                    continue
                }
                throughLink = true
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                entries.append(.folder(name, raw: raw))
            case S_IFREG where isJSON:
                entries.append(
                    Entry(
                        name: name, rawName: raw, isFolder: false, bytes: Int(info.st_size), modifiedNanos: info.modifiedNanos,
                        throughLink: throughLink))
            default: continue
            }
        }
        return entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
