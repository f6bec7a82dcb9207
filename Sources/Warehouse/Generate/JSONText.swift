/// Writes JSON the way the sources do: `/` escaped as `\/` (eventsim), non-ASCII as `\u`
/// escapes with surrogate pairs beyond the BMP, numbers with a fixed number of decimals.
struct JSONText {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Song files put a space after each ':' and ',' (Python's json.dumps); logs do not.
    mutating func songKey(_ name: StaticString, first: Bool = false) {
        if !first { raw(", ") }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\": ")
    }

    mutating func null() { raw("null") }

    mutating func string(_ text: String?, escapeSlash: Bool = true) {
        guard let text else { return null() }
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x2F where escapeSlash: raw("\\/")
            case 0x0A: raw("\\n")
            case 0x20..<0x7F: bytes.append(UInt8(scalar.value))
            case 0x10000...:
                let value = scalar.value - 0x10000
                unicodeEscape(0xD800 + (value >> 10))
                unicodeEscape(0xDC00 + (value & 0x3FF))
            default: unicodeEscape(scalar.value)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func unicodeEscape(_ unit: UInt32) {
        raw("\\u")
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(Self.hexDigits[Int((unit >> UInt32(shift)) & 0xF)]) }
    }

    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let first = bytes.count
        var magnitude = value.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[first...].reverse()
    }

    mutating func integerString(_ value: Int) {
        bytes.append(UInt8(ascii: "\""))
        integer(Int64(value))
        bytes.append(UInt8(ascii: "\""))
    }

    /// A decimal with exactly `places` digits after the point, from a value already scaled:
    /// `fixed(26130812, places: 5)` writes 261.30812. Integer arithmetic keeps it exact.
    mutating func fixed(_ scaled: Int64, places: Int) {
        var divisor: Int64 = 1
        for _ in 0..<places { divisor *= 10 }
        if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = Int64(scaled.magnitude)
        integer(magnitude / divisor)
        bytes.append(UInt8(ascii: "."))
        var fraction = magnitude % divisor
        var scale = divisor / 10
        for _ in 0..<places {
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / scale))
            fraction %= scale
            scale /= 10
        }
    }
}
