import Foundation

/// Loads source files into one staging table through `COPY ... FROM STDIN`, with reading,
/// parsing and encoding on a second thread so that both cores work: one turns JSON into COPY
/// text while the other hands finished chunks to libpq (and the server parses them).
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

    struct Outcome {
        var rows: Int
        var rejects: [RejectedRecord]
        /// Rows each file put in the table, in the order of `files`.
        var rowsPerFile: [Int]
    }

    /// One batch of COPY text, and how much of the sources it accounts for.
    private struct Chunk {
        var text: [UInt8] = []
        var rows = 0
        var sourceBytes = 0
        var filesCompleted = 0
        var file: String?
    }

    /// `sql`: the plan's COPY … FROM STDIN for the table.
    func run(_ sql: String, on connection: Connection, meter: ProgressMeter) throws -> Outcome {
        let queue = ChunkQueue<Chunk>(capacity: Self.chunksInFlight)
        let rejects = RejectList(limit: maxErrors)
        // Filled by the producer, once, when it has read every file.
        let perFile = Locked<[Int]>([])
        let producerDone = DispatchSemaphore(value: 0)
        let producer = Thread { [self] in
            do { try produce(into: queue, rejects: rejects, perFile: perFile) } catch { queue.finish(error: error) }
            producerDone.signal()
        }
        producer.stackSize = 1 << 20
        producer.start()
        defer {
            queue.close()
            producerDone.wait()
        }

        let rows = try connection.copyIn(sql) { writer in
            while let chunk = try queue.pop() {
                try writer.write(chunk.text)  // throws CancelledError once a cancel was asked for
                meter.update { copy in
                    copy.rowsDone += chunk.rows
                    copy.bytesDone += chunk.sourceBytes
                    copy.filesDone += chunk.filesCompleted
                    copy.currentFile = chunk.file
                    copy.rejected = rejects.count
                }
            }
        }
        return Outcome(rows: rows, rejects: rejects.records, rowsPerFile: perFile.current)
    }

    /// Runs on the producer thread: every line of every file, in order, into chunks.
    private func produce(into queue: ChunkQueue<Chunk>, rejects: RejectList, perFile: Locked<[Int]>) throws {
        var rowsPerFile: [Int] = []
        rowsPerFile.reserveCapacity(files.count)
        var encoder = CopyRowEncoder(table: table, sourceKeys: sourceKeys)
        var record = JSONRecord()
        var chunk = Chunk()
        chunk.text.reserveCapacity(Self.chunkBytes + 64 * 1024)

        func ship() -> Bool {
            let full = chunk
            chunk = Chunk()
            chunk.text.reserveCapacity(Self.chunkBytes + 64 * 1024)
            return queue.push(full)
        }

        // S3 objects arrive through a prefetch, several in flight, in listing order.
        let prefetch =
            try files.first.map { S3Location.isS3($0.path) } == true
            ? S3Prefetch(files: files, access: s3 ?? S3Access.resolve(config: nil)) : nil
        defer { prefetch?.stop() }

        let buffer = SourceLines.Buffer()
        let wholeFile = DatasetLayout.oneObjectPerFile(table)
        for file in files {
            var lines =
                try prefetch.map { SourceLines(file, bytes: try $0.next(), buffer: buffer, wholeFile: wholeFile) }
                ?? SourceLines(file, buffer: buffer, wholeFile: wholeFile)
            defer { lines.close() }
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
                        try encoder.encode(record, into: &chunk.text)
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
                if chunk.text.count >= Self.chunkBytes {
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
            rowsPerFile.append(rowsShipped + chunk.rows - rowsBefore)
        }
        perFile.update { $0 = rowsPerFile }
        if chunk.rows > 0 || chunk.filesCompleted > 0 { guard ship() else { return } }
        queue.finish()
    }
}
