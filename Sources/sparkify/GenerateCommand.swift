import ArgumentParser
import Foundation
import Warehouse

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic Sparkify dataset with its expected results.",
        discussion: """
            Writes log_data/YYYY/MM/YYYY-MM-DD-events.json, song_data/A/B/C/TR....json and \
            log_json_path.json in the real layout, and expected.sql: a validation suite whose values \
            the generator counted while writing. The same arguments give the same bytes.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The folder to write (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: "Log events to write.")
    var events = 8_000

    @Option(name: .long, help: "Song files to write.")
    var songs = 15_000

    @Option(name: .long, help: "Days the events span, one log file a day.")
    var days = 30

    @Option(name: .long, help: ArgumentHelp("The first day, UTC.", valueName: "YYYY-MM-DD"))
    var start = "2018-11-01"

    @Option(name: .long, help: "Seed of the random choices.")
    var seed: UInt64 = 1

    func validate() throws {
        guard events >= 0, songs >= 0 else { throw ValidationError("--events and --songs must be 0 or more.") }
        guard days >= 1 else { throw ValidationError("--days must be 1 or more.") }
        guard let first = Self.epochMilliseconds(start) else {
            throw ValidationError("--start must be a date from 1970-01-01 to 9999-12-31 like 2018-11-01, not '\(start)'.")
        }
        guard Self.day(first) == Self.parse(start).map({ String(format: "%04d-%02d-%02d", $0.year, $0.month, $0.day) }) else {
            // timegm would take 2018-02-30 as 2018-03-02, and the files would be March's.
            throw ValidationError("--start \(start) is not a date: that month has no such day.")
        }
        // The last day's events must still be timestamps a load can take (the year 9999 at most).
        let last = Int64(days - 1).multipliedReportingOverflow(by: Self.dayMilliseconds)
        guard !last.overflow, first + last.partialValue + Self.dayMilliseconds - 1 <= TableColumn.epochMilliseconds.upperBound else {
            throw ValidationError(
                "--start \(start) with --days \(days) would end after 9999-12-31, the last day a load can take (a timestamp's range ends there)."
            )
        }
    }

    static let dayMilliseconds: Int64 = 86_400_000

    /// `YYYY-MM-DD` with each part in its range (the day not yet checked against its month).
    static func parse(_ date: String) -> (year: Int, month: Int, day: Int)? {
        let parts = date.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return (year, month, day)
    }

    static func epochMilliseconds(_ date: String) -> Int64? {
        guard let (year, month, day) = parse(date) else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        let seconds = timegm(&fields)
        guard seconds >= 0 else { return nil }
        return Int64(seconds) * 1000
    }

    /// The UTC day of `milliseconds`, as `YYYY-MM-DD`.
    static func day(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return String(format: "%04d-%02d-%02d", Int(fields.tm_year) + 1900, Int(fields.tm_mon) + 1, Int(fields.tm_mday))
    }

    func run() throws {
        var options = DatasetGenerator.Options()
        options.events = events
        options.songs = songs
        options.days = days
        options.startMilliseconds = Self.epochMilliseconds(start)!
        options.seed = seed
        let interactive = isatty(STDERR_FILENO) == 1
        try reportingErrors {
            let truth = try DatasetGenerator(directory: out, options: options).run { progress in
                guard interactive else { return }
                Terminal.write(
                    "\r\u{1B}[Ksongs \(Figures.count(progress.songsWritten))/\(Figures.count(songs))  events \(Figures.count(progress.eventsWritten))/\(Figures.count(events))  \(Figures.bytes(progress.bytesWritten))"
                )
            }
            if interactive { Terminal.write("\r\u{1B}[K") }
            let out = StandardOutput()
            out.line("wrote \(Figures.count(truth.stagingEvents)) events and \(Figures.count(truth.stagingSongs)) song files to \(self.out)")
            out.line(
                "expected: \(Figures.count(truth.songplays)) songplays (\(Figures.count(truth.matchedSongplays)) matched), \(Figures.count(truth.users)) users, \(Figures.count(truth.artists)) artists, \(Figures.count(truth.timeRows)) time rows"
            )
            out.line("load it:  sparkify etl --source \(self.out)")
            out.line("check it: sparkify validate \(self.out)/expected.sql")
            try out.finish()
        }
    }
}
