import Foundation
import PostgresClient

/// Which warehouse a command works on, decided once from the flags and the working directory.
public enum TargetChoice: Sendable {
    /// The local PostgreSQL server that sparkify runs itself.
    case embedded
    /// A server named by a `dwh.cfg`: Redshift or any PostgreSQL.
    case configured(DwhConfig)
    /// `--rehearse`: the Redshift plan on the embedded server (`RedshiftRehearsal`), reading the
    /// sources the config names, when there is one.
    case rehearsal(DwhConfig?)

    /// `--local` wins; then `--rehearse`; then `--config PATH`; then `./dwh.cfg` when present;
    /// else the embedded one.
    public static func resolve(
        local: Bool, rehearse: Bool = false, configPath: String?,
        workingDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> TargetChoice {
        if local { return .embedded }
        if rehearse {
            if let configPath { return .rehearsal(try DwhConfig.load(path: configPath)) }
            let nearby = (workingDirectory as NSString).appendingPathComponent("dwh.cfg")
            return .rehearsal(FileManager.default.fileExists(atPath: nearby) ? try DwhConfig.load(path: nearby) : nil)
        }
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
        case .rehearsal:
            let warehouse = try EmbeddedWarehouse()
            try warehouse.start(progress: progress)
            return try RedshiftRehearsal.connectionSettings(embedded: warehouse.connectionSettings)
        }
    }

    /// Whether the target runs on sparkify's own server (the embedded warehouse or the rehearsal).
    public var onEmbeddedServer: Bool {
        switch self {
        case .embedded, .rehearsal: return true
        case .configured: return false
        }
    }

    /// What the user should be told before anything runs (a config readable by others).
    public var warnings: [String] {
        if case .configured(let config) = self { return config.warnings }
        if case .rehearsal(let config?) = self { return config.warnings }
        return []
    }
}
