import Foundation

/// Collects output bytes and writes them to a file descriptor in large blocks, so streaming a
/// million rows costs a few thousand system calls, not millions.
public final class OutputBuffer {
    private let descriptor: Int32
    private var bytes: [UInt8] = []
    private let flushThreshold = 1 << 16

    public init(descriptor: Int32) {
        self.descriptor = descriptor
        bytes.reserveCapacity(flushThreshold * 2)
    }

    deinit { flush() }

    public func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= flushThreshold { flush() }
    }

    public func append<Bytes: Sequence>(bytes more: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: more)
        if bytes.count >= flushThreshold { flush() }
    }

    public func append(byte: UInt8) {
        bytes.append(byte)
        if bytes.count >= flushThreshold { flush() }
    }

    public func flush() {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                break  // A closed pipe (`| head`): nothing more can be delivered.
            }
            offset += written
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
