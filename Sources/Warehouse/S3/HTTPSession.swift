import CCurl
import Foundation
import PostgresClient

/// A response read whole: S3 objects in these datasets are kilobytes to a few megabytes, and a
/// whole body is what lets a dropped transfer be retried without any of it reaching the load.
struct HTTPResponse {
    var status: Int
    /// Names lower-cased.
    var headers: [String: String]
    var body: [UInt8]
}

/// A transfer that did not produce a response: refused, reset, timed out, or cut short.
struct TransportError: Error, CustomStringConvertible {
    var code: Int
    var message: String
    var description: String { message }
    /// The server stopped sending (or never answered) within the stall timeout.
    var stalled: Bool { code == Int(CURLE_OPERATION_TIMEDOUT.rawValue) }
}

/// One libcurl easy handle, used by one thread at a time; it keeps its connection open between
/// requests, so the hundred thousand small GETs of a song prefix do not each pay a TLS handshake.
final class HTTPSession {
    private let handle: UnsafeMutableRawPointer
    private var response = HTTPResponse(status: 0, headers: [:], body: [])

    /// libcurl's global set-up is not thread-safe: done once, before any handle exists.
    private static let initialised: Bool = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK }()

    /// Seconds to connect, and seconds without a byte before a transfer counts as stalled (a
    /// test sets a shorter stall).
    static let connectTimeout = 10
    var stallTimeout = 10

    init() {
        _ = Self.initialised
        handle = curl_easy_init()!
    }

    deinit { curl_easy_cleanup(handle) }

    /// GETs `url` with `headers` ("Name: value"). Throws `TransportError` when no whole response
    /// arrived; any status, 200 or not, is a response.
    func get(_ url: String, headers: [String]) throws -> HTTPResponse {
        try perform(url, headers: headers, body: nil)
    }

    /// POSTs `body` (a form-encoded Query API call) to `url`.
    func post(_ url: String, headers: [String], body: String) throws -> HTTPResponse {
        try perform(url, headers: headers, body: body)
    }

    private func perform(_ url: String, headers: [String], body: String?) throws -> HTTPResponse {
        response = HTTPResponse(status: 0, headers: [:], body: [])
        curl_easy_reset(handle)
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }

        _ = sparkify_curl_set_text(handle, CURLOPT_URL, url)
        _ = sparkify_curl_set_list(handle, CURLOPT_HTTPHEADER, list)
        // Worker threads: no signals for timeouts.
        _ = sparkify_curl_set_number(handle, CURLOPT_NOSIGNAL, 1)
        _ = sparkify_curl_set_number(handle, CURLOPT_CONNECTTIMEOUT, Self.connectTimeout)
        // A transfer that sends nothing for this long is dead: fail it so it can be retried
        // (S3 answers a GET in tens of milliseconds; three stalls give up, `S3Client`).
        _ = sparkify_curl_set_number(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        _ = sparkify_curl_set_number(handle, CURLOPT_LOW_SPEED_TIME, stallTimeout)
        // Never let curl follow a redirect: S3 answers a wrong region with one, and the
        // signature would not be valid at the new address anyway.
        _ = sparkify_curl_set_number(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = sparkify_curl_set_text(handle, CURLOPT_USERAGENT, "sparkify")
        if let body {
            _ = sparkify_curl_set_number(handle, CURLOPT_POSTFIELDSIZE, body.utf8.count)
            _ = sparkify_curl_set_text(handle, CURLOPT_COPYPOSTFIELDS, body)
        }

        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = sparkify_curl_set_body_callback(
            handle,
            { data, size, count, context in
                let session = Unmanaged<HTTPSession>.fromOpaque(context!).takeUnretainedValue()
                let bytes = size * count
                data!.withMemoryRebound(to: UInt8.self, capacity: bytes) {
                    session.response.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: bytes))
                }
                return bytes
            }, context)
        _ = sparkify_curl_set_header_callback(
            handle,
            { data, size, count, context in
                let session = Unmanaged<HTTPSession>.fromOpaque(context!).takeUnretainedValue()
                let bytes = size * count
                let line = String(decoding: UnsafeRawBufferPointer(start: data, count: bytes), as: UTF8.self)
                if line.hasPrefix("HTTP/") {
                    session.response.headers = [:]  // a 100 Continue's headers are not the response's
                } else if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].lowercased()
                    session.response.headers[name] = String(line[line.index(after: colon)...]).trimmingWhitespace()
                }
                return bytes
            }, context)

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw TransportError(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
        response.status = sparkify_curl_status(handle)
        if let length = response.headers["content-length"].flatMap({ Int($0) }), length != response.body.count {
            throw TransportError(
                code: Int(CURLE_PARTIAL_FILE.rawValue),
                message: "the transfer ended after \(response.body.count) of \(length) bytes")
        }
        return response
    }
}
