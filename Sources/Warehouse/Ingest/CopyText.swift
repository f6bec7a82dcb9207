/// PostgreSQL's COPY text format, written once for every COPY sparkify feeds: staging rows and
/// the load's own bookkeeping rows.
enum CopyText {
    static let null: [UInt8] = [0x5C, UInt8(ascii: "N")]

    /// Appends `value` escaped for COPY text, copying runs of plain bytes in one go (most values
    /// have nothing to escape). False, with nothing sensible appended, if the value holds a NUL,
    /// which PostgreSQL text cannot store.
    static func appendEscaped(_ value: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            guard byte <= 0x0D || byte == 0x5C else { continue }
            let escape: UInt8
            switch byte {
            case 0x5C: escape = 0x5C
            case 0x0A: escape = UInt8(ascii: "n")
            case 0x0D: escape = UInt8(ascii: "r")
            case 0x09: escape = UInt8(ascii: "t")
            case 0x00: return false
            default: continue
            }
            if index > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart..<index])) }
            output.append(0x5C)
            output.append(escape)
            runStart = index + 1
        }
        if value.count > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: value[runStart...])) }
        return true
    }
}
