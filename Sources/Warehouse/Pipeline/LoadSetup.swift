import Foundation
import PostgresClient

/// What a load needs to know beyond the connection: where the rows come from and how many bad
/// records a copy may skip. `etl` and the console both build their runner from one of these,
/// so a console load and a headless load of the same target read the same files.
public struct LoadSetup: Sendable {
    public var choice: TargetChoice
    /// `--source DIR`: a folder (or s3://bucket/prefix) holding log_data/ and song_data/;
    /// overrides the config's [S3].
    public var source: String?
    public var maxErrors: Int
    /// `--add-source`: an incremental load from a source other than staging's keeps both.
    public var addSource: Bool

    public init(choice: TargetChoice, source: String? = nil, maxErrors: Int = 0, addSource: Bool = false) {
        self.choice = choice
        self.source = source
        self.maxErrors = maxErrors
        self.addSource = addSource
    }

    /// Something about the request that cannot work, said in the user's terms.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// A runner for `connection`. `copies` says whether any copy step will run: only then are
    /// sources needed, and on the embedded warehouse with no source the demo data is written
    /// (once) and chosen; `progress` hears about that.
    public func runner(
        on connection: Connection, copies: Bool,
        progress: (String) -> Void = { _ in },
        writing: (DatasetGenerator.Progress) -> Void = { _ in }
    ) throws -> LoadRunner {
        if connection.settings.rehearsal {
            return LoadRunner(
                connection: connection,
                plan: LoadPlan(
                    dialect: RedshiftDialect(),
                    redshift: copies ? try rehearsalCopy(progress: progress, writing: writing) : nil, maxErrors: maxErrors),
                sources: nil)
        }
        if connection.server.engine == .redshift {
            // Redshift reads S3 itself: an s3:// dataset prefix stands in for the [S3] keys.
            let location = try source.map { source -> S3Location in
                guard let location = try S3Location(source) else {
                    throw Problem(
                        description:
                            "--source \(source) is a local folder, but Redshift copies from S3: give --source s3://bucket/prefix, or set [S3] LOG_DATA, LOG_JSONPATH and SONG_DATA in dwh.cfg."
                    )
                }
                return location
            }
            let copy = try copies ? config.map { try RedshiftCopy(config: $0, dataset: location) } : nil
            return LoadRunner(
                connection: connection,
                plan: LoadPlan(dialect: RedshiftDialect(), redshift: copy, maxErrors: maxErrors),
                sources: nil)
        }
        var sources: LoadSources?
        if copies {
            if choice.onEmbeddedServer, config == nil, source == nil {
                let folder = try DemoData.ensure(in: EmbeddedWarehouse(), progress: progress, writing: writing)
                progress("the copy steps read the demo dataset in \(folder); its expected results are \(folder)/expected.sql")
                sources = LoadSources(folder: folder)
            } else {
                sources = try localSources()
            }
        }
        return LoadRunner(
            connection: connection, plan: LoadPlan(dialect: PostgresDialect(), maxErrors: maxErrors),
            sources: sources, addSource: addSource)
    }

    /// The Redshift COPY's sources on the rehearsal: `--source` (an S3 prefix, or a folder whose
    /// absolute path the rehearsal's COPY reads), else the config's [S3] keys, else the demo
    /// dataset. The IAM role is the config's, or a placeholder: the rehearsal checks none.
    /// `writeDemo` false (a dry run): nil rather than write the demo dataset the plan would read.
    public func rehearsalCopy(
        writeDemo: Bool = true, progress: (String) -> Void = { _ in }, writing: (DatasetGenerator.Progress) -> Void = { _ in }
    ) throws -> RedshiftCopy? {
        let role = config?.iamRole.flatMap { $0.isEmpty ? nil : $0 } ?? RedshiftRehearsal.placeholderRole
        let region = config?.region ?? "us-west-2"
        if let source, let location = try S3Location(source) {
            return RedshiftCopy(dataset: location, iamRole: role, region: region)
        }
        if source == nil, let config, config.logData != nil || config.songData != nil {
            var withRole = config
            withRole.iamRole = role
            return try RedshiftCopy(config: withRole)
        }
        let folder: String
        if let source {
            folder = source
        } else if !writeDemo {
            let demo = DemoData.folder(in: try EmbeddedWarehouse())
            guard FileManager.default.fileExists(atPath: demo + "/" + DatasetLayout.jsonPaths) else { return nil }
            folder = demo
        } else {
            folder = try DemoData.ensure(in: EmbeddedWarehouse(), progress: progress, writing: writing)
            progress("the copy steps read the demo dataset in \(folder); its expected results are \(folder)/expected.sql")
        }
        let root = FileListing.identity(of: folder)
        let jsonPaths = root + "/" + DatasetLayout.jsonPaths
        guard FileManager.default.fileExists(atPath: jsonPaths) else {
            throw Problem(
                description:
                    "\(root) has no \(DatasetLayout.jsonPaths): the Redshift plan maps the camelCase log keys to columns with it (FORMAT AS JSON 'auto' cannot)"
            )
        }
        return RedshiftCopy(
            logData: root + "/" + DatasetLayout.logData, logJSONPath: jsonPaths, songData: root + "/" + DatasetLayout.songData,
            iamRole: role, region: region)
    }

    /// The local folders a PostgreSQL copy reads: `--source`, else the config's [S3] keys.
    public func localSources() throws -> LoadSources {
        if let source, let location = try S3Location(source) {
            return LoadSources(s3Folder: location, access: try S3Access.resolve(config: config))
        }
        if let source { return LoadSources(folder: source) }
        if let config, let sources = try LoadSources(config: config) { return sources }
        throw Problem(
            description: """
                nothing to copy from: give --source DIR (a folder holding log_data/ and song_data/), \
                or set [S3] LOG_DATA and SONG_DATA (local folders or s3:// addresses) in dwh.cfg.
                """)
    }

    /// The suite the generator wrote beside the data this setup loads (`expected.sql` in the
    /// source folder, or in the embedded warehouse's demo folder), when there is one.
    public var generatedSuite: String? {
        var folder = source
        if folder == nil, choice.onEmbeddedServer, config == nil, let warehouse = try? EmbeddedWarehouse() {
            folder = DemoData.folder(in: warehouse)
        }
        guard let path = folder.map({ $0 + "/expected.sql" }), FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// Where the copy steps read, in words: the `--source`, the config's folders, or the demo data.
    public var sourceDescription: String {
        if let source { return source }
        if let config, let sources = try? LoadSources(config: config) { return sources.logData + " and " + sources.songData }
        if choice.onEmbeddedServer {
            if let warehouse = try? EmbeddedWarehouse(), FileManager.default.fileExists(atPath: DemoData.folder(in: warehouse) + "/expected.sql") {
                return "the demo dataset in \(DemoData.folder(in: warehouse))"
            }
            return "the demo dataset (written on the first load)"
        }
        return "no source set"
    }

    public var config: DwhConfig? {
        switch choice {
        case .configured(let config): return config
        case .rehearsal(let config): return config
        case .embedded: return nil
        }
    }
}
