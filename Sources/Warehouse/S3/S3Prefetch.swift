import Foundation

/// Fetches a load's objects several at a time, ahead of the reader, and hands them out in
/// listing order: S3 answers each small GET after tens of milliseconds, and sixteen in flight
/// hide most of that latency behind parsing (scripts/bench-s3, 20 ms a GET: 1 in flight 104 s,
/// 8 in flight 14.7 s, 16 in flight 9.2 s for 5,012 objects; more gained little there). An object is handed out only once it arrived whole, so a
/// transfer retried after a dropped connection never reaches the load twice.
/// Its state is read and written only under `condition`, which also wakes the waiting side.
final class S3Prefetch: @unchecked Sendable {
    /// `SPARKIFY_S3_IN_FLIGHT` (1 to 64) overrides it, for `scripts/bench-s3`'s comparison.
    static let inFlight =
        ProcessInfo.processInfo.environment["SPARKIFY_S3_IN_FLIGHT"].flatMap { Int($0) }
        .map { min(64, max(1, $0)) } ?? 16
    /// Objects fetched but not yet taken stay under this many bytes (and 64 objects), whatever
    /// the object sizes, so memory stays flat on a large prefix.
    static let bytesAhead = 64 * 1024 * 1024
    static let objectsAhead = 64

    private let files: [SourceFile]
    private let condition = NSCondition()
    private var nextToStart = 0
    private var nextToTake = 0
    private var bytesPending = 0
    private var ready: [Int: Result<[UInt8], Error>] = [:]
    private var stopped = false

    /// Told what a retry waits for, and nil once the object came ("retrying (3 of 7): …").
    private let onRetry: @Sendable (String?) -> Void

    init(
        files: [SourceFile], access: S3Access, inFlight: Int = S3Prefetch.inFlight,
        onRetry: @escaping @Sendable (String?) -> Void = { _ in }
    ) throws {
        self.files = files
        self.onRetry = onRetry
        let locations = try files.map { file -> S3Location in
            guard let location = try S3Location(file.path) else { throw SourceError(path: file.path, problem: "is not an S3 object") }
            return location
        }
        for _ in 0..<min(inFlight, max(files.count, 1)) {
            let worker = Thread { [self] in work(locations, access: access) }
            worker.stackSize = 1 << 20
            worker.start()
        }
    }

    /// The next object's bytes, in order; waits for it. Throws that object's error.
    func next() throws -> [UInt8] {
        condition.lock()
        while ready[nextToTake] == nil { condition.wait() }
        let result = ready.removeValue(forKey: nextToTake)!
        bytesPending -= files[nextToTake].bytes
        nextToTake += 1
        condition.broadcast()
        condition.unlock()
        return try result.get()
    }

    /// Lets the workers go: those mid-request finish it (or stop between retries) and exit.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func work(_ locations: [S3Location], access: S3Access) {
        let client = S3Client(access: access)
        client.shouldStop = { [weak self] in self?.isStopped ?? true }
        client.onRetry = onRetry
        while true {
            condition.lock()
            // The next object the reader needs always starts; others wait for room.
            while !stopped, nextToStart < files.count, nextToStart != nextToTake,
                nextToStart - nextToTake >= Self.objectsAhead || bytesPending + files[nextToStart].bytes > Self.bytesAhead
            {
                condition.wait()
            }
            guard !stopped, nextToStart < files.count else {
                condition.unlock()
                return
            }
            let index = nextToStart
            nextToStart += 1
            bytesPending += files[index].bytes
            condition.unlock()

            let location = locations[index]
            let result = Result { try client.get(bucket: location.bucket, key: location.prefix, listed: files[index]) }

            condition.lock()
            ready[index] = result
            condition.broadcast()
            condition.unlock()
        }
    }

    private var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }
}
