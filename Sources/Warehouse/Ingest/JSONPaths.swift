import Foundation
import PostgresClient

/// A Redshift jsonpaths file (`{"jsonpaths": ["$['artist']", ...]}`): which source key fills
/// each column, in column order. The same file drives our own loader, so a user's existing
/// file keeps meaning the same thing on both engines.
public enum JSONPaths {
    /// The source keys the file names, one per column of `table`.
    public static func keys(file path: String, for table: Table, s3: S3Access? = nil) throws -> [String] {
        try keys(data: read(file: path, s3: s3), name: path, for: table)
    }

    /// A jsonpaths file's bytes, from S3 or a local path.
    static func read(file path: String, s3: S3Access?) throws -> Data {
        if let location = try S3Location(path) {
            let access = try s3 ?? S3Access.resolve(config: nil)
            return Data(try S3Client(access: access).get(bucket: location.bucket, key: location.prefix))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SourceError(
                path: path,
                problem: FileManager.default.fileExists(atPath: path)
                    ? "cannot be read" : "no such jsonpaths file")
        }
        return data
    }

    /// The keys of a jsonpaths document already read; `path` names it in messages.
    static func keys(data: Data, name path: String, for table: Table) throws -> [String] {
        let paths = try expressions(data: data, name: path)
        guard paths.count == table.columns.count else {
            throw SourceError(path: path, problem: "lists \(paths.count) paths but \(table.qualifiedName) has \(table.columns.count) columns")
        }
        return try paths.enumerated().map { index, expression in
            guard let key = key(of: expression) else {
                throw SourceError(path: path, problem: "path \(index + 1) (\(expression)) is not a top-level key like $['name'] or $.name")
            }
            return key
        }
    }

    /// The document's path expressions, in order.
    static func expressions(data: Data, name path: String) throws -> [String] {
        let paths: [String]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let list = object["jsonpaths"] as? [String]
            else {
                throw SourceError(path: path, problem: "is not a jsonpaths file: expected {\"jsonpaths\": [\"$['key']\", ...]}")
            }
            paths = list
        } catch let error as SourceError {
            throw error
        } catch {
            throw SourceError(path: path, problem: "is not valid JSON")
        }
        return paths
    }

    /// `$['key']`, `$["key"]` or `$.key`; nested paths are not part of these sources.
    static func key(of expression: String) -> String? {
        let text = expression.trimmingWhitespace()
        if text.hasPrefix("$['"), text.hasSuffix("']"), text.count > 5 {
            return String(text.dropFirst(3).dropLast(2))
        }
        if text.hasPrefix("$[\""), text.hasSuffix("\"]"), text.count > 5 {
            return String(text.dropFirst(3).dropLast(2))
        }
        if text.hasPrefix("$."), text.count > 2 {
            let key = text.dropFirst(2)
            guard !key.contains("."), !key.contains("[") else { return nil }
            return String(key)
        }
        return nil
    }
}
