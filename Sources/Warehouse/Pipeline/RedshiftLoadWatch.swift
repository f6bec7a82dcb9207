import Foundation
import PostgresClient

/// Live progress of a Redshift COPY. Redshift reads the S3 files itself, so the only view of
/// its progress is `stv_load_state`, per slice, from another session while the COPY runs:
/// this opens that second session and folds the slices' rows into the step's progress.
final class RedshiftLoadWatch: Sendable {
    /// Bytes and files of the COPY running in session `pid`, summed over the slices.
    static func query(session pid: Int32) -> String {
        """
        SELECT SUM(bytes_loaded), SUM(bytes_to_load), SUM(lines), SUM(num_files), SUM(num_files_complete),
               MAX(TRIM(current_file))
        FROM stv_load_state WHERE session = \(pid);
        """
    }

    private let task: PeriodicTask

    /// Polls every `interval` seconds until `stop()`. A watch that cannot connect or read the
    /// table (a user without access to it) leaves the progress as it was: the COPY goes on.
    init(settings: ConnectionSettings, copyingSession pid: Int32, meter: ProgressMeter, interval: Double = 0.5) {
        let sql = Self.query(session: pid)
        task = PeriodicTask(
            interval: interval, setUp: { try? Connection(settings) },
            tick: { watcher in
                guard let row = try? watcher.execute(sql).rows.first, let loaded = row[0].flatMap({ Int($0) }) else { return }
                meter.update { copy in
                    copy.awaitingServerFigures = false
                    copy.bytesDone = loaded
                    copy.bytesTotal = row[1].flatMap { Int($0) } ?? copy.bytesTotal
                    copy.rowsDone = row[2].flatMap { Int($0) } ?? copy.rowsDone
                    copy.filesTotal = row[3].flatMap { Int($0) } ?? copy.filesTotal
                    copy.filesDone = row[4].flatMap { Int($0) } ?? copy.filesDone
                    copy.currentFile = row[5] ?? copy.currentFile
                }
            }, tearDown: { $0.close() })
    }

    func stop() { task.stop() }
}
