import CLibPQ

/// What another thread may do to a connection it does not own: ask the server to cancel the
/// running statement. A connection belongs to one thread (libpq's rule); this handle is the
/// part that may cross threads, so a Ctrl-C on the UI thread reaches a worker's statement.
public final class CancelHandle: Sendable {
    private struct State {
        /// libpq's PGcancel, freed when the connection closes.
        var cancel: OpaquePointer?
        var requested = false
        var closed = false
    }
    private let state: Locked<State>

    init(_ cancel: OpaquePointer?) { state = Locked(State(cancel: cancel)) }

    /// Asks the server to cancel whatever the connection is running. False when the request
    /// could not be delivered (or the connection is closed).
    @discardableResult
    public func cancel() -> Bool {
        state.update { state in
            guard !state.closed, let cancel = state.cancel else { return false }
            state.requested = true
            var buffer = [CChar](repeating: 0, count: 256)
            return PQcancel(cancel, &buffer, Int32(buffer.count)) == 1
        }
    }

    /// Set by `cancel()` until the next statement starts; lets client-side loops such as a COPY
    /// feed stop without waiting for the server to notice.
    var isRequested: Bool { state.read(\.requested) }

    var isClosed: Bool { state.read(\.closed) }

    func statementStarts() { state.update { $0.requested = false } }

    /// Marks the connection closed and frees libpq's cancel object; true the first time only.
    func close() -> Bool {
        state.update { state in
            guard !state.closed else { return false }
            state.closed = true
            if let cancel = state.cancel { PQfreeCancel(cancel) }
            state.cancel = nil
            return true
        }
    }
}
