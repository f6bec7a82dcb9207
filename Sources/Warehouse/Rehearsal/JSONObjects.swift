/// The top-level JSON objects of a file, as a Redshift COPY from JSON reads them: one after
/// another, on one line each or spread over many, whatever lies between them being blanks.
/// Each comes with the number of its last line, which is the line a load error names ("The
/// LINE_NUMBER column records the last line of the JSON object that caused the error":
/// https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-format.html).
struct JSONObjects {
    enum Piece {
        case object(Range<Int>, lastLine: Int)
        /// Bytes that begin no object: up to the end of their line, skipped.
        case garbage(Range<Int>, line: Int)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func next() -> Piece? {
        while index < bytes.count, [0x20, 0x09, 0x0D, 0x0A].contains(bytes[index]) {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        // A byte order mark before the first object is no part of it.
        if index == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        guard index < bytes.count else { return nil }
        let start = index
        guard bytes[index] == UInt8(ascii: "{") else {
            while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            return .garbage(start..<index, line: line)
        }
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                } else if byte == 0x0A {
                    line += 1
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return .object(start..<index, lastLine: line) }
            case 0x0A: line += 1
            default: break
            }
        }
        // The file ended inside the object.
        return .object(start..<min(index, bytes.count), lastLine: line)
    }
}
