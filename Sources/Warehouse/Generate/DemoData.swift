import Foundation

/// The dataset a new user's first load reads when nothing else is configured: generated once,
/// sized like the public sample, into the embedded warehouse's home beside the server.
public enum DemoData {
    public static func folder(in warehouse: EmbeddedWarehouse) -> String { warehouse.home + "/demo" }

    /// The demo folder, written first if it is not complete (its expected.sql is written last).
    public static func ensure(
        in warehouse: EmbeddedWarehouse, progress: (String) -> Void = { _ in },
        writing: (DatasetGenerator.Progress) -> Void = { _ in }
    ) throws -> String {
        let folder = folder(in: warehouse)
        if FileManager.default.fileExists(atPath: folder + "/expected.sql") { return folder }
        progress("writing the demo dataset (8,000 events, 15,000 song files) to \(folder)")
        // A half-written folder from an interrupted run is replaced, not loaded.
        try? FileManager.default.removeItem(atPath: folder)
        try DatasetGenerator(directory: folder, options: DatasetGenerator.Options()).run(progress: writing)
        return folder
    }
}
