import CCurl

/// SHA-256 and HMAC-SHA-256, from OpenSSL's libcrypto (the one libpq already links), for
/// Signature Version 4.
enum Digest {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBytes { data in
            digest.withUnsafeMutableBufferPointer { sparkify_sha256(data.baseAddress, data.count, $0.baseAddress) }
        }
        return digest
    }

    static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { data in
                digest.withUnsafeMutableBufferPointer {
                    sparkify_hmac_sha256(keyBytes.baseAddress, keyBytes.count, data.baseAddress, data.count, $0.baseAddress)
                }
            }
        }
        return digest
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
