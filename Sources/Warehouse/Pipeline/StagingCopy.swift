import Foundation
import PostgresClient

/// Loads source files into one staging table through `COPY ... FROM STDIN` in binary, with
/// reading, parsing and encoding on reader threads so that every core works: they turn JSON
/// into tuples while this thread hands finished chunks to libpq (and the server stores them).
/// Readers take files one at a time from a shared counter, so a large file does not hold the
/// others up; the rows reach the table in whichever order chunks finish.
struct StagingCopy {
    let table: Table
    let sourceKeys: [String]
    /// The files to load, in order; on a first load of a local folder, still being listed.
    let files: FileListing
    let maxErrors: Int
    /// The manifest's number for the first file; each file after it takes the next, and every
    /// row carries its file's (`Table.fileNumberColumn`).
    var firstFileNumber = 1
    /// How to fetch the files when they are S3 objects.
    var s3: S3Access? = nil

    /// Chunks of this size keep libpq calls few; a handful in flight keeps memory flat.
    static let chunkBytes = 256 * 1024
    static let chunksInFlight = 8

    /// Readers for a table: one a core (two at least). For log files parsing is the work. For
    /// song files on a cold page cache, reads in flight are what counts, and the hints to the
    /// disk (`FilePrefetch`) keep a thousand of them going with any number of readers: before
    /// the hints, 8 readers (cold, 100,000 song files: 1 in flight 3.8 s, 2 2.9 s, 8 1.9 s);
    /// with them, 2 readers cold alone 1.38/1.52 s against 8 1.47/1.49 s, and warm, beside the
    /// events copy, the whole copy 3.66–3.74 s against 3.87–4.03 s (fewer threads fighting
    /// for the two cores). `SPARKIFY_READERS` overrides both, to measure another count.
    static func readers(files: FileListing.Count) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let chosen =
            ProcessInfo.processInfo.environment["SPARKIFY_READERS"].flatMap { Int($0) }.map { min(64, max(1, $0)) }
            ?? max(2, cores)
        return files.complete ? max(1, min(chosen, files.files)) : chosen
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

    /// Hands each reader the next file to read, in listing order (waiting for the listing if
    /// the readers caught up with it); for S3 objects, with its bytes from the prefetch (which
    /// fetches them in that order); for local files, with the files ahead hinted to the disk
    /// once one was cold.
    private final class FileDispenser: Sendable {
        private let next = Locked(0)
        private let files: FileListing
        private let prefetch: S3Prefetch?
        let ahead: FilePrefetch?

        init(files: FileListing, prefetch: S3Prefetch?, ahead: FilePrefetch?) {
            self.files = files
            self.prefetch = prefetch
            self.ahead = ahead
        }

        /// `beforeWaiting`: run if the reader must wait for the listing.
        func take(beforeWaiting: () -> Void) throws -> (index: Int, file: SourceFile, bytes: [UInt8]?)? {
            if let prefetch {
                // A complete listing: the prefetch hands objects out in its order.
                return try next.update { next -> (index: Int, file: SourceFile, bytes: [UInt8]?)? in
                    guard let file = try files.file(at: next) else { return nil }
                    defer { next += 1 }
                    return (next, file, try prefetch.next())
                }
            }
            let index = next.update { next in
                defer { next += 1 }
                return next
            }
            guard let file = try files.file(at: index, beforeWaiting: beforeWaiting) else { return nil }
            ahead?.taking(index)
            return (index, file, nil)
        }
    }

    /// `sql`: the plan's COPY … FROM STDIN WITH (FORMAT binary) for the table.
    func run(_ sql: String, on connection: Connection, meter: ProgressMeter) throws -> Outcome {
        let readerCount = Self.readers(files: files.count)
        let listed = files.count
        let queue = ChunkQueue<Chunk>(capacity: Self.chunksInFlight + readerCount, producers: readerCount)
        let rejects = RejectList(limit: maxErrors)
        let perFile = Locked([Int](repeating: 0, count: listed.files))
        // S3 objects arrive through a prefetch, several in flight, in listing order (an S3
        // listing is complete before the copy starts).
        let prefetch =
            try S3Location.isS3(files.path) && listed.complete
            ? S3Prefetch(
                files: try files.all(), access: s3 ?? S3Access.resolve(config: nil),
                onRetry: { retrying in meter.update { $0.retrying = retrying } }) : nil
        let dispenser = FileDispenser(
            files: files, prefetch: prefetch, ahead: prefetch == nil ? FilePrefetch(files: files) : nil)
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
                let found = files.count
                meter.update { copy in
                    copy.update(listed: found)
                    copy.rowsDone += chunk.rows
                    copy.bytesDone += chunk.sourceBytes
                    copy.filesDone += chunk.filesCompleted
                    copy.currentFile = chunk.file
                    copy.rejected = rejects.count
                }
            }
            try writer.write(CopyBinary.trailer)
        }
        let all = try files.all()
        meter.update { $0.update(listed: files.count) }
        var rowsPerFile = perFile.current
        if rowsPerFile.count < all.count { rowsPerFile += repeatElement(0, count: all.count - rowsPerFile.count) }
        return Outcome(rows: rows, rejects: inFileOrder(rejects.records, all), rowsPerFile: rowsPerFile)
    }

    /// Readers finish files in no fixed order: the rejects are kept as the files list them.
    private func inFileOrder(_ rejects: [RejectedRecord], _ files: [SourceFile]) -> [RejectedRecord] {
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
        // Rows held while the listing catches up go on at once (the reader may wait a while).
        var queueClosed = false
        func shipBeforeWaiting() {
            if chunk.rows > 0 || chunk.filesCompleted > 0 { queueClosed = !ship() }
        }
        while let (index, file, bytes) = try dispenser.take(beforeWaiting: shipBeforeWaiting) {
            if queueClosed { return }
            var lines =
                try bytes.map { SourceLines(file, bytes: $0, buffer: buffer, wholeFile: wholeFile) }
                ?? SourceLines(file, buffer: buffer, wholeFile: wholeFile)
            defer {
                if lines.startedCold { dispenser.ahead?.sawColdFile() }
                lines.close()
            }
            chunk.file = file.name
            encoder.fileNumber = table.fileNumberColumn == nil ? nil : Int32(truncatingIfNeeded: firstFileNumber + index)
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
            // A file cut short or written to while read fails the step: its rows are not the file's.
            try lines.checkReadWhole()
            // Lines counted approximately (blank ones, a last line without newline): the file
            // is read whole now, so it counts whole.
            chunk.sourceBytes += file.bytes - attributed
            chunk.filesCompleted += 1
            let rows = rowsShipped + chunk.rows - rowsBefore
            perFile.update { perFile in
                if perFile.count <= index { perFile += repeatElement(0, count: index + 1 - perFile.count) }
                perFile[index] = rows
            }
        }
        if chunk.rows > 0 || chunk.filesCompleted > 0 { guard ship() else { return } }
    }
}
