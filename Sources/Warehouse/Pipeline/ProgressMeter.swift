import Foundation
import PostgresClient

/// Progress shared between the thread doing the work and the ticker that reports it.
final class ProgressMeter: Sendable {
    private let copy: Locked<CopyProgress?>

    init(copy: CopyProgress? = nil) { self.copy = Locked(copy) }

    func update(_ change: (inout CopyProgress) -> Void) {
        copy.update { if $0 != nil { change(&$0!) } }
    }

    func reset(_ progress: CopyProgress) {
        copy.update { $0 = progress }
    }

    var snapshot: CopyProgress? { copy.current }
}

/// Bad records seen so far, shared by the reading thread (which adds) and the step (which
/// reports the count and stores them).
final class RejectList: Sendable {
    private let list = Locked<[RejectedRecord]>([])
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Keeps the record; throws once there are more than the limit allows.
    func add(_ record: RejectedRecord) throws {
        try list.update { list in
            guard list.count < limit else { throw TooManyBadRecords(record: record, limit: limit) }
            list.append(record)
        }
    }

    var count: Int { list.read(\.count) }
    var records: [RejectedRecord] { list.current }
}
