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
        guard Self.epochMilliseconds(start) != nil else { throw ValidationError("--start must be a date like 2018-11-01, not '\(start)'.") }
    }

    static func epochMilliseconds(_ date: String) -> Int64? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1970...9999).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var fields = tm()
        fields.tm_year = Int32(parts[0] - 1900)
        fields.tm_mon = Int32(parts[1] - 1)
        fields.tm_mday = Int32(parts[2])
        let seconds = timegm(&fields)
        guard seconds >= 0 else { return nil }
        return Int64(seconds) * 1000
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
            print("wrote \(Figures.count(truth.stagingEvents)) events and \(Figures.count(truth.stagingSongs)) song files to \(out)")
            print(
                "expected: \(Figures.count(truth.songplays)) songplays (\(Figures.count(truth.matchedSongplays)) matched), \(Figures.count(truth.users)) users, \(Figures.count(truth.artists)) artists, \(Figures.count(truth.timeRows)) time rows"
            )
            print("load it:  sparkify etl --source \(out)")
            print("check it: sparkify validate \(out)/expected.sql")
        }
    }
}
