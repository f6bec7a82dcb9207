import Foundation

/// Loads source files into one staging table through `COPY ... FROM STDIN` in binary, with
/// reading, parsing and encoding on reader threads so that every core works: they turn JSON
/// into tuples while this thread hands finished chunks to libpq (and the server stores them).
/// Readers take files one at a time from a shared counter, so a large file does not hold the
/// others up; the rows reach the table in whichever order chunks finish.
struct StagingCopy {
    let table: Table
    let sourceKeys: [String]
    let files: [SourceFile]
    let maxErrors: Int
    /// How to fetch the files when they are S3 objects.
    var s3: S3Access? = nil

    /// Chunks of this size keep libpq calls few; a handful in flight keeps memory flat.
    static let chunkBytes = 256 * 1024
    static let chunksInFlight = 8

    /// Readers for a table: one a core for log files, where parsing is the work. Song files
    /// are small and one object each: opening and reading them is the work, and on a cold page
    /// cache each waits on the disk, so more are in flight (measured cold, 100,000 song files:
    /// 1 in flight 3.8 s, 2 2.9 s, 8 1.9 s, 16 to 64 1.7–1.8 s). `SPARKIFY_READERS` overrides
    /// both, to measure another count.
    static func readers(for table: Table, files: Int) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chosen =
            ProcessInfo.processInfo.environment["SPARKIFY_READERS"].flatMap { Int($0) }.map { min(64, max(1, $0)) }
            ?? (DatasetLayout.oneObjectPerFile(table) ? max(8, 4 * cores) : max(2, cores))
        return max(1, min(chosen, files))
    }

    struct Outcome {
        var rows: Int
        var rejects: [RejectedRecord]
        /// Rows each file put in the table, in the order of `files`.
        var rowsPerFile: [Int]
    }

    /// One batch of tuples, and how much of the sources it accounts for.
    private struct Chunk {
        var tuples: [UInt8] = []
        var rows = 0
        var sourceBytes = 0
        var filesCompleted = 0
        var file: String?
    }

    /// Hands each reader the next file to read, in listing order; for S3 objects, with its
    /// bytes from the prefetch (which fetches them in that order); for local files, with the
    /// files ahead hinted to the disk once one was cold.
    private final class FileDispenser: Sendable {
        private let next = Locked(0)
        private let count: Int
        private let prefetch: S3Prefetch?
        let ahead: FilePrefetch?

        init(count: Int, prefetch: S3Prefetch?, ahead: FilePrefetch?) {
            self.count = count
            self.prefetch = prefetch
            self.ahead = ahead
        }

        func take() throws -> (index: Int, bytes: [UInt8]?)? {
            let taken = try next.update { next -> (index: Int, bytes: [UInt8]?)? in
                guard next < count else { return nil }
                defer { next += 1 }
                return (next, try prefetch?.next())
            }
            if let taken { ahead?.taking(taken.index) }
            return taken
        }
    }

    /// `sql`: the plan's COPY … FROM STDIN WITH (FORMAT binary) for the table.
    func run(_ sql: String, on connection: Connection, meter: ProgressMeter) throws -> Outcome {
        let readerCount = Self.readers(for: table, files: files.count)
        let queue = ChunkQueue<Chunk>(capacity: Self.chunksInFlight + readerCount, producers: readerCount)
        let rejects = RejectList(limit: maxErrors)
        let perFile = Locked([Int](repeating: 0, count: files.count))
        // S3 objects arrive through a prefetch, several in flight, in listing order.
        let prefetch =
            try files.first.map { S3Location.isS3($0.path) } == true
            ? S3Prefetch(files: files, access: s3 ?? S3Access.resolve(config: nil)) : nil
        let dispenser = FileDispenser(
            count: files.count, prefetch: prefetch, ahead: prefetch == nil ? FilePrefetch(files: files) : nil)
        let readersDone = DispatchGroup()
        for _ in 0..<readerCount {
            readersDone.enter()
            let reader = Thread { [self] in
                do {
                    try read(from: dispenser, into: queue, rejects: rejects, perFile: perFile)
                    queue.finish()
                } catch {
                    queue.finish(error: error)
                }
                readersDone.leave()
            }
            reader.stackSize = 1 << 20
            reader.start()
        }
        defer {
            queue.close()
            prefetch?.stop()
            readersDone.wait()
        }

        let rows = try connection.copyIn(sql) { writer in
            try writer.write(CopyBinary.header)
            while let chunk = try queue.pop() {
                try writer.write(chunk.tuples)  // throws CancelledError once a cancel was asked for
                meter.update { copy in
                    copy.rowsDone += chunk.rows
                    copy.bytesDone += chunk.sourceBytes
                    copy.filesDone += chunk.filesCompleted
                    copy.currentFile = chunk.file
                    copy.rejected = rejects.count
                }
            }
            try writer.write(CopyBinary.trailer)
        }
        return Outcome(rows: rows, rejects: inFileOrder(rejects.records), rowsPerFile: perFile.current)
    }

    /// Readers finish files in no fixed order: the rejects are kept as the files list them.
    private func inFileOrder(_ rejects: [RejectedRecord]) -> [RejectedRecord] {
        guard rejects.count > 1 else { return rejects }
        var position: [String: Int] = [:]
        for path in Set(rejects.map(\.file)) { position[path] = files.firstIndex { $0.path == path } ?? files.count }
        return rejects.sorted { ($0.file == $1.file) ? $0.line < $1.line : position[$0.file, default: 0] < position[$1.file, default: 0] }
    }

    /// Runs on a reader thread: every line of each file it takes, in order, into chunks.
    private func read(from dispenser: FileDispenser, into queue: ChunkQueue<Chunk>, rejects: RejectList, perFile: Locked<[Int]>) throws {
        let encoder = CopyRowEncoder(table: table, sourceKeys: sourceKeys)
        var record = JSONRecord()
        var chunk = Chunk()
        let tuples = TupleBuffer(capacity: Self.chunkBytes + 64 * 1024)

        func ship() -> Bool {
            var full = chunk
            full.tuples = tuples.take()
            chunk = Chunk()
            return queue.push(full)
        }

        let buffer = SourceLines.Buffer()
        let wholeFile = DatasetLayout.oneObjectPerFile(table)
        while let (index, bytes) = try dispenser.take() {
            let file = files[index]
            var lines =
                try bytes.map { SourceLines(file, bytes: $0, buffer: buffer, wholeFile: wholeFile) }
                ?? SourceLines(file, buffer: buffer, wholeFile: wholeFile)
            defer {
                if lines.startedCold { dispenser.ahead?.sawColdFile() }
                lines.close()
            }
            chunk.file = file.name
            // Source bytes read since the last chunk left, and this file's bytes already shipped.
            var counted = 0
            let rowsBefore = chunk.rows
            var rowsShipped = 0
            var attributed = 0
            while let line = try lines.next() {
                switch line {
                case .record(let number, let bytes):
                    counted += bytes.count + 1
                    if let offset = UTF8Validation.firstInvalidOffset(bytes) {
                        try rejects.add(
                            RejectedRecord(
                                file: file.path, line: number,
                                reason: "invalid UTF-8 at byte \(offset + 1)", raw: bytes))
                        continue
                    }
                    do {
                        try record.parse(bytes)
                        try encoder.encode(record, from: bytes, into: tuples)
                        chunk.rows += 1
                    } catch {
                        try rejects.add(RejectedRecord(file: file.path, line: number, reason: "\(error)", raw: bytes))
                    }
                case .overlong(let number, let prefix):
                    counted += SourceLines.maximumLineBytes
                    try prefix.withUnsafeBufferPointer { raw in
                        try rejects.add(
                            RejectedRecord(
                                file: file.path, line: number,
                                reason: "the line is longer than 10 MiB", raw: raw))
                    }
                }
                if tuples.count >= Self.chunkBytes {
                    let portion = min(counted, file.bytes - attributed)
                    chunk.sourceBytes += portion
                    attributed += portion
                    counted = 0
                    rowsShipped += chunk.rows
                    guard ship() else { return }
                    chunk.file = file.name
                }
            }
            // Lines counted approximately (blank ones, a last line without newline): the file
            // is read whole now, so it counts whole.
            chunk.sourceBytes += file.bytes - attributed
            chunk.filesCompleted += 1
            let rows = rowsShipped + chunk.rows - rowsBefore
            perFile.update { $0[index] = rows }
        }
        if chunk.rows > 0 || chunk.filesCompleted > 0 { guard ship() else { return } }
    }
}
