import ArgumentParser
import Warehouse

/// `--source DIR | s3://bucket/prefix` and `--max-errors N`: what a load reads and how many bad
/// records it may skip, shared by `etl` and the console.
struct LoadOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("A dataset folder, or s3://bucket/prefix, holding log_data/ and song_data/ (and log_json_path.json).", valueName: "dir"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("Bad records a copy step may skip (kept in staging.load_errors).", valueName: "n"))
    var maxErrors = 0

    @Flag(
        name: .long,
        help: "An incremental load may copy from a source other than the one staging holds, keeping both (each file known by its own source).")
    var addSource = false

    func validate() throws {
        guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more.") }
    }

    func setup(_ choice: TargetChoice) -> LoadSetup {
        LoadSetup(choice: choice, source: source, maxErrors: maxErrors, addSource: addSource)
    }
}
