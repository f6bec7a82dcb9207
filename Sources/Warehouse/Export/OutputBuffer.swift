import Foundation

/// Collects output bytes and writes them to a file descriptor in large blocks, so streaming a
/// million rows costs a few thousand system calls, not millions. A write that fails (a full
/// disk, an I/O error) is kept as `failure`: nothing more is written, and `finish()` throws it,
/// so the command says its output is incomplete instead of ending as if it were whole. A
/// reader that went away (`| head`) is no failure: there is no one left to tell.
public final class OutputBuffer {
    private let descriptor: Int32
    /// What the descriptor is, for messages: "standard output", or an export file's path.
    public let target: String
    private var bytes: [UInt8] = []
    private let flushThreshold = 1 << 16
    /// The first write that failed; once set, output is dropped.
    public private(set) var failure: OutputFailure?
    /// The reader closed the pipe: output is dropped, and that is no failure.
    public private(set) var readerGone = false
    /// Bytes that reached the descriptor.
    public private(set) var written = 0

    public init(descriptor: Int32, target: String = "standard output") {
        self.descriptor = descriptor
        self.target = target
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

    /// Writes what is held. A failure is kept (`failure`), not thrown: callers deep in a
    /// stream check it where they can stop, and `finish()` reports it.
    public func flush() {
        defer { bytes.removeAll(keepingCapacity: true) }
        guard failure == nil, !readerGone else { return }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE {
                    readerGone = true
                } else {
                    failure = OutputFailure(target: target, code: errno, written: written + offset)
                }
                return
            }
            offset += count
        }
        written += offset
    }

    /// Writes what is held, then throws the first failure, if any write failed.
    public func finish() throws {
        flush()
        if let failure { throw failure }
    }
}

/// Output that could not be written whole.
public struct OutputFailure: Error, CustomStringConvertible, Sendable {
    public var target: String
    public var code: Int32
    /// Bytes written before the failure.
    public var written: Int

    public var description: String {
        "cannot write to \(target): \(String(cString: strerror(code))); what was written (\(Figures.bytes(written))) is incomplete"
    }
}
