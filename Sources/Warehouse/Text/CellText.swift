/// How a cell's text goes on one line of a grid: control characters become visible one-column
/// marks (a line break `↵`, a tab `→`, others `·`), so a value can never break the grid's rows,
/// and its width is what the terminal will use.
public enum CellText {
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out.append("↵")
            case 0x09: out.append("→")
            case 0..<0x20, 0x7F: out.append("·")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The width `oneLine` of these bytes takes. Plain ASCII, nearly every cell of a warehouse,
    /// is measured without decoding.
    public static func width(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var ascii = true
        for byte in bytes where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return bytes.count }
        var width = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            width += scalar.value < 0x20 || scalar.value == 0x7F ? 1 : DisplayWidth.of(scalar)
        }
        return width
    }

    public static func width(_ text: String) -> Int {
        var copy = text
        return copy.withUTF8 { width($0) }
    }
}
