import Foundation

/// Decimal text (a JSON number, or a string holding one) to the double PostgreSQL's float8
/// input would make of it: the same correctly rounded value, and the same refusals.
enum DecimalText {
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// Nil when the server would refuse it: beyond a double's range (1e309), or so small it
    /// rounds to zero (1e-400) though its digits are not all zero. Subnormals are kept, as
    /// PostgreSQL keeps them. `value` is already known to be decimal syntax.
    static func double(_ value: UnsafeBufferPointer<UInt8>) -> Double? {
        if let quick = exactQuotient(value) { return quick }
        // The rare rest (an exponent, many digits) through the standard library's parse, which
        // rounds correctly and ignores the locale (the console sets the user's, for ncursesw).
        guard let number = Double(String(decoding: value, as: UTF8.self)), number.isFinite else { return nil }
        if number == 0 {
            let mantissa = value.prefix { $0 | 0x20 != UInt8(ascii: "e") }
            if mantissa.contains(where: { (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) { return nil }
        }
        return number
    }

    /// The common case without a library call: at most 15 digits and no exponent, so the digits
    /// as an integer and the power of ten are both exact doubles and their quotient is the
    /// correctly rounded value (Clinger's fast path). Nil when the case does not apply.
    @inline(__always)
    private static func exactQuotient(_ value: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let negative = value.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var digits: UInt64 = 0
        var digitCount = 0
        var fractionDigits = 0
        var sawPoint = false
        while index < value.count {
            let byte = value[index]
            if byte == UInt8(ascii: ".") {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digitCount += 1
                guard digitCount <= 15 else { return nil }
                digits = digits * 10 + UInt64(byte - UInt8(ascii: "0"))
                if sawPoint { fractionDigits += 1 }
            } else {
                return nil
            }
            index += 1
        }
        guard digitCount > 0 else { return nil }
        let magnitude = Double(digits) / powersOfTen[fractionDigits]
        return negative ? -magnitude : magnitude
    }
}
