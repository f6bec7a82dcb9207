/// Checks that a record is UTF-8 before it reaches COPY: PostgreSQL would reject the whole COPY
/// for one bad byte, where we want to reject (or report) just that record.
enum UTF8Validation {
    /// The 0-based offset of the first byte that is not part of a valid UTF-8 sequence.
    static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var index = 0
        while index < count {
            // Logs are mostly ASCII: skip eight plain bytes at a time.
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { return nil }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                highest = 0x9F  // no UTF-16 surrogates
            case 0xF0:
                length = 4
                lowest = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                highest = 0x8F  // nothing above U+10FFFF
            default: return index
            }
            guard index + length <= count else { return index }
            let second = base[index + 1]
            guard second >= lowest, second <= highest else { return index }
            for offset in 2..<max(2, length) where base[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}
