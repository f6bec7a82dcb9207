import PostgresClient

/// One object of a listing.
struct S3Object: Equatable, Sendable {
    var key: String
    var size: Int
    /// Without the quotes S3 puts around it.
    var etag: String
}

/// The parts of a ListObjectsV2 (or error) response sparkify reads. S3's XML is flat and fixed,
/// so a scan for the few elements needed is enough, and keeps an XML parser out of the build.
enum S3XML {
    struct Page {
        var objects: [S3Object] = []
        var nextToken: String?
    }

    static func page(_ body: [UInt8]) -> Page {
        let text = String(decoding: body, as: UTF8.self)
        var page = Page()
        for contents in elements("Contents", in: Substring(text)) {
            guard let key = element("Key", in: contents) else { continue }
            page.objects.append(
                S3Object(
                    key: key,
                    size: element("Size", in: contents).flatMap { Int($0) } ?? 0,
                    etag: (element("ETag", in: contents) ?? "").trimming("\"")))
        }
        if element("IsTruncated", in: Substring(text)) == "true" {
            page.nextToken = element("NextContinuationToken", in: Substring(text))
        }
        return page
    }

    /// `<Error><Code>…</Code><Message>…</Message></Error>`, when the body is one.
    static func error(_ body: [UInt8]) -> (code: String, message: String?)? {
        let text = Substring(String(decoding: body, as: UTF8.self))
        guard let code = element("Code", in: text) else { return nil }
        return (code, element("Message", in: text))
    }

    /// The text of the first `<name>` element, entities decoded.
    static func element(_ name: String, in text: Substring) -> String? {
        guard let open = text.range(of: "<\(name)>"),
            let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return unescape(text[open.upperBound..<close.lowerBound])
    }

    private static func elements(_ name: String, in text: Substring) -> [Substring] {
        var found: [Substring] = []
        var rest = text
        while let open = rest.range(of: "<\(name)>"),
            let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex)
        {
            found.append(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar) } else { out += "&\(entity);" }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return out + rest
    }
}
