extension SourceFolder {
    /// The .json objects under an S3 prefix, as a folder's files: names are keys below the
    /// prefix (the manifest's key, as for a folder), paths are s3:// addresses for messages.
    init(listing location: S3Location, access: S3Access) throws {
        let objects = try S3Client(access: access).list(location)
        let base = location.listingPrefix.hasSuffix("/") ? location.listingPrefix : ""
        var files: [SourceFile] = []
        let below = location.address(of: base)
        let bucket = location.address(of: "")
        for object in objects where object.key.lowercased().hasSuffix(".json") {
            let name = object.key.hasPrefix(base) ? String(object.key.dropFirst(base.count)) : object.key
            // Hidden segments (editors' leftovers, checkpoints) are not data, as in a folder.
            if name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let inside = !name.isEmpty && object.key.hasPrefix(base)
            files.append(SourceFile(prefix: inside ? below : bucket, name: inside ? name : object.key, bytes: object.size, etag: object.etag))
        }
        guard !files.isEmpty else {
            throw S3Error(
                address: location.description,
                problem: objects.isEmpty
                    ? "no objects under this prefix (is the bucket or prefix mistyped?)"
                    : "holds \(objects.count) objects but no .json ones",
                code: nil)
        }
        // S3 lists keys in UTF-8 byte order already; sorting again keeps the folder's rule whatever the store.
        self.init(
            path: location.description,
            files: files.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) })
    }
}
