import Foundation

/// Which warehouse a command works on, decided once from the flags and the working directory.
public enum TargetChoice: Sendable {
    /// The local PostgreSQL server that sparkify runs itself.
    case embedded
    /// A server named by a `dwh.cfg`: Redshift or any PostgreSQL.
    case configured(DwhConfig)

    /// `--local` wins; then `--config PATH`; then `./dwh.cfg` when present; else the embedded one.
    public static func resolve(
        local: Bool, configPath: String?,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> TargetChoice {
        if local { return .embedded }
        if let configPath { return .configured(try DwhConfig.load(path: configPath)) }
        let nearby = (workingDirectory as NSString).appendingPathComponent("dwh.cfg")
        if FileManager.default.fileExists(atPath: nearby) { return .configured(try DwhConfig.load(path: nearby)) }
        return .embedded
    }
}

extension TargetChoice {
    /// Where to connect; for the embedded warehouse, starts its server first (creating it on
    /// first use) and reports what it does through `progress`.
    public func connectionSettings(progress: (String) -> Void = { _ in }) throws -> ConnectionSettings {
        switch self {
        case .configured(let config):
            return config.connection
        case .embedded:
            let warehouse = try EmbeddedWarehouse()
            try warehouse.start(progress: progress)
            return warehouse.connectionSettings
        }
    }

    /// What the user should be told before anything runs (a config readable by others).
    public var warnings: [String] {
        if case .configured(let config) = self { return config.warnings }
        return []
    }
}
