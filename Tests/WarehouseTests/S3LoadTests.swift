import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// Loads from s3:// against the local S3 server (moto): every page of a listing, the same
/// tables as a folder load, incremental skips by key and ETag, and the failures users meet.
final class S3LoadTests: XCTestCase {
    /// One generated dataset, in a folder and under s3://sparkify-data/demo/, shared by the tests.
    private static let dataset: String = {
        do {
            var options = DatasetGenerator.Options()
            options.events = 2_000
            options.songs = 1_200  // more song objects than one listing page holds (1,000)
            options.days = 3
            options.seed = 11
            let folder = TestServer.scratchDirectory("s3dataset")
            _ = try DatasetGenerator(directory: folder, options: options).run()
            let s3 = LocalS3.shared
            try s3.fixture(["bucket", "sparkify-data"])
            try s3.fixture(["upload", "sparkify-data", "demo", folder])
            try s3.fixture(["bucket", "sparkify-empty"])
            try s3.issueKeys()
            return folder
        } catch {
            fatalError("the S3 dataset could not be set up: \(error)")
        }
    }()

    private func s3Sources(_ prefix: String = "demo", access: S3Access? = nil) throws -> LoadSources {
        _ = Self.dataset
        return LoadSources(
            s3Folder: S3Location(bucket: "sparkify-data", prefix: prefix),
            access: access ?? LocalS3.shared.access())
    }

    /// The Redshift plan on the rehearsal, reading the same objects from S3 through sparkify's
    /// client: the same tables as the PostgreSQL load of the folder.
    func testTheRehearsalCopiesFromS3AsAClusterWould() throws {
        let folderLoad = try LoadHarness("s3rehearsefolder", sources: LoadSources(folder: Self.dataset))
        try folderLoad.run([.drop, .create, .copy, .insert])
        let copy = RedshiftCopy(
            logData: "s3://sparkify-data/demo/log_data", logJSONPath: "s3://sparkify-data/demo/log_json_path.json",
            songData: "s3://sparkify-data/demo/song_data", iamRole: RedshiftRehearsal.placeholderRole, region: "us-west-2")
        let rehearsal = try RehearsalHarness("s3", copy: copy, s3: LocalS3.shared.access())
        let outcomes = try rehearsal.run([.drop, .create, .copy, .insert])
        XCTAssertEqual(outcomes[3].copy?.filesTotal, 1_200, "every song object, past the first listing page")
        for table in StarSchema.stagingTables + StarSchema.analyticsTables {
            XCTAssertEqual(
                try rehearsal.count("select count(*) from \(table.qualifiedName)"),
                try folderLoad.count("select count(*) from \(table.qualifiedName)"),
                table.qualifiedName)
        }
    }

    /// Every table's rows as text, songplay ids left out (they number rows in load order).
    private func fingerprint(_ load: LoadHarness) throws -> [String: String] {
        var tables: [String: String] = [:]
        for table in StarSchema.stagingTables + StarSchema.analyticsTables {
            tables[table.qualifiedName] = try load.rows(
                """
                SELECT count(*) || ' ' || coalesce(md5(string_agg((to_jsonb(t) - 'songplay_id')::text, '|'
                       ORDER BY (to_jsonb(t) - 'songplay_id')::text)), '')
                FROM \(table.qualifiedName) t
                """)[0][0]
        }
        return tables
    }

    func testS3LoadEqualsFolderLoad() throws {
        let folderLoad = try LoadHarness("s3folder", sources: LoadSources(folder: Self.dataset))
        try folderLoad.run([.drop, .create, .copy, .insert])

        let sources = try s3Sources()
        XCTAssertEqual(sources.logJSONPaths, "s3://sparkify-data/demo/log_json_path.json", "the jsonpaths object is found")
        let s3Load = try LoadHarness("s3load", sources: sources)
        let outcomes = try s3Load.run([.drop, .create, .copy, .insert])
        let songs = try XCTUnwrap(outcomes.first { $0.step.table == StarSchema.stagingSongs }?.copy)
        XCTAssertEqual(songs.filesTotal, 1_200, "every page of the listing (1,200 keys)")
        XCTAssertEqual(songs.filesDone, 1_200)
        XCTAssertEqual(songs.bytesDone, songs.bytesTotal)

        let expected = try fingerprint(folderLoad)
        XCTAssertEqual(try fingerprint(s3Load), expected)
        XCTAssertEqual(expected["analytics.songs"]?.hasPrefix("1200 "), true)
        XCTAssertEqual(
            try s3Load.count("select count(*) from staging.load_manifest where etag ~ '^[0-9a-f]{32}$'"), 1_203,
            "every object's ETag is in the manifest")
        XCTAssertEqual(
            try s3Load.rows("select file from staging.load_manifest where target_table = 'staging.events' order by file limit 1"),
            [["2018/11/2018-11-01-events.json"]], "named by key below the prefix, as a folder's files are")
    }

    func testIncrementalLoadSkipsLoadedObjectsAndReloadsChangedOnes() throws {
        // Logs of its own (this test adds to them); the shared song objects.
        let s3 = LocalS3.shared
        try s3.fixture(["upload", "sparkify-data", "incremental/log_data", Self.dataset + "/log_data"])
        var sources = try s3Sources()
        sources.logData = "s3://sparkify-data/incremental/log_data"
        let load = try LoadHarness("s3incremental", sources: sources)
        try load.run([.drop, .create, .copy, .insert])
        let events = try load.count("select count(*) from staging.events")

        // A new day's log arrives.
        let line = Dataset.play(#""Halo""#, by: #""Beyonc\u00e9""#, length: "261.0", ts: 1_541_500_000_000, session: 99_999, item: 1)
        try s3.fixture(["put", "sparkify-data", "incremental/log_data/2018/11/2018-11-09-events.json", line + "\n"])
        let second = try load.run([.copy])
        XCTAssertEqual(second[0].copy?.filesTotal, 1, "only the new object is read")
        XCTAssertEqual(second[0].filesSkipped, 3)
        XCTAssertEqual(second[0].rows, 1)
        XCTAssertEqual(second[1].filesSkipped, 1_200, "no song object read again")
        XCTAssertEqual(second[1].copy?.bytesDone, 0)

        // The same key, new contents: a new ETag, so its old rows are replaced by its new ones.
        try s3.fixture(["put", "sparkify-data", "incremental/log_data/2018/11/2018-11-09-events.json", line + "\n" + line + "\n"])
        let third = try load.run([.copy])
        XCTAssertEqual(third[0].filesChanged, 1)
        XCTAssertEqual(third[0].rows, 2)
        XCTAssertEqual(try load.count("select count(*) from staging.events"), events + 2, "the old row replaced, not kept beside")
        XCTAssertEqual(try load.count("select count(*) from staging.load_manifest where file = '2018/11/2018-11-09-events.json'"), 1)

        // Nothing new: nothing fetched.
        let fourth = try load.run([.copy])
        XCTAssertEqual(fourth.map(\.rows), [0, 0])
        XCTAssertEqual(fourth[0].filesSkipped, 4)
    }

    func testWrongKeysNameTheObject() throws {
        _ = Self.dataset
        let s3 = LocalS3.shared
        let location = S3Location(bucket: "sparkify-data", prefix: "demo")
        try s3.checkingSignatures {
            // The right keys pass moto's check: the signature is computed as AWS computes it.
            XCTAssertEqual(
                try S3Client(access: s3.access()).get(bucket: "sparkify-data", key: "demo/log_json_path.json"),
                Array(try Data(contentsOf: URL(fileURLWithPath: Self.dataset + "/log_json_path.json"))))
            XCTAssertThrowsError(
                try LoadSources(s3Folder: location, access: s3.access(keyID: "AKIAUNKNOWNKEY000000"))
                    .source(for: StarSchema.stagingEvents)
            ) {
                XCTAssertEqual(
                    "\($0)",
                    "s3://sparkify-data/demo/log_json_path.json: access denied: S3 does not know the access key ID from the test (InvalidAccessKeyId)"
                )
            }
            let wrongSecret = s3.access(secret: "not-the-secret")
            XCTAssertThrowsError(
                try JSONPaths.keys(
                    file: "s3://sparkify-data/demo/log_json_path.json",
                    for: StarSchema.stagingEvents, s3: wrongSecret)
            ) {
                XCTAssertEqual(
                    "\($0)",
                    "s3://sparkify-data/demo/log_json_path.json: access denied: the secret key from the test does not belong to its access key ID (SignatureDoesNotMatch)"
                )
            }
            XCTAssertFalse("\(wrongSecret)".contains("not-the-secret"), "the secret never prints")
        }
    }

    /// `sparkify etl` with the [S3] keys, endpoint and [AWS] keys in dwh.cfg; then a mistyped
    /// bucket through --source and environment keys: refused before the drop step.
    func testETLCommandFromConfigAndSource() throws {
        _ = Self.dataset
        let s3 = LocalS3.shared
        let settings = try TestServer.freshDatabase("clis3")
        let config = SparkifyBinary.configForTestServer(
            database: settings.database,
            extra: """
                [S3]
                LOG_DATA='s3://sparkify-data/demo/log_data'
                LOG_JSONPATH='s3://sparkify-data/demo/log_json_path.json'
                SONG_DATA='s3://sparkify-data/demo/song_data'
                ENDPOINT=\(s3.endpoint)
                [AWS]
                KEY=\(s3.accessKeyID)
                SECRET=\(s3.secretAccessKey)

                """)
        let noKeys = ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_ENDPOINT_URL_S3": ""]
        let run = try SparkifyBinary.run(["etl", "--config", config], environment: noKeys)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.range(of: "analytics.songs +1,200\n", options: .regularExpression) != nil, run.stdout)
        XCTAssertFalse((run.stdout + run.stderr).contains(s3.secretAccessKey), "the secret never prints")

        let wrong = try SparkifyBinary.run(
            ["etl", "--config", config, "--source", "s3://sparkify-dta/demo"],
            environment: ["AWS_ACCESS_KEY_ID": s3.accessKeyID, "AWS_SECRET_ACCESS_KEY": s3.secretAccessKey])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("s3://sparkify-dta: no such bucket at \(s3.endpoint)"), wrong.stderr)
        let count = try SparkifyBinary.run(["query", "--config", config, "--format", "csv", "select count(*) from songs"])
        XCTAssertEqual(count.stdout, "count\n1200\n", "no step ran: the tables keep their rows")
    }

    func testMissingBucketAndEmptyPrefix() throws {
        _ = Self.dataset
        let access = LocalS3.shared.access()
        XCTAssertThrowsError(try SourceFolder.list("s3://no-such-bucket/log_data", s3: access)) {
            XCTAssertEqual("\($0)", "s3://no-such-bucket: no such bucket at \(LocalS3.shared.endpoint)")
        }
        XCTAssertThrowsError(try SourceFolder.list("s3://sparkify-data/demo/log_dta", s3: access)) {
            XCTAssertEqual("\($0)", "s3://sparkify-data/demo/log_dta: no objects under this prefix (is the bucket or prefix mistyped?)")
        }
        XCTAssertThrowsError(try SourceFolder.list("s3://sparkify-empty/", s3: access)) {
            XCTAssertEqual("\($0)", "s3://sparkify-empty/: no objects under this prefix (is the bucket or prefix mistyped?)")
        }
        // A prefix that is a folder's name does not also take in its longer-named neighbours.
        let logs = try SourceFolder.list("s3://sparkify-data/demo/log_data", s3: access)
        XCTAssertTrue(logs.files.allSatisfy { $0.path.hasPrefix("s3://sparkify-data/demo/log_data/") })
    }
}

/// Throttling and a connection dropped mid-object, from a misbehaving S3 look-alike
/// (`scripts/lib/s3_faulty.py`): each retried, each object loaded exactly once.
final class S3RetryTests: XCTestCase {
    func testThrottledAndDroppedObjectsAreRetriedAndLoadedOnce() throws {
        let folder = TestServer.scratchDirectory("faulty")
        let lines = (1...400).map { item in
            Dataset.play(
                #""Song \#(item)""#, by: #""Band""#, length: "100.0", ts: 1_541_030_400_000 + Int64(item) * 1000,
                session: 7, item: item)
        }
        for name in ["2018-11-01-events.json", "2018-11-02-drop-events.json", "2018-11-03-throttle-events.json"] {
            try FileManager.default.createDirectory(atPath: folder + "/log_data", withIntermediateDirectories: true)
            try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/log_data/" + name, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: folder + "/song_data", withIntermediateDirectories: true)
        try Dataset.song(id: "SO1", title: #""Song 1""#, artist: #""Band""#, artistID: "AR1", duration: "100.0")
            .write(toFile: folder + "/song_data/SO1.json", atomically: true, encoding: .utf8)

        let port = try LocalS3.freePort()
        let script = URL(fileURLWithPath: LocalS3.fixture).deletingLastPathComponent().appendingPathComponent("s3_faulty.py").path
        let server = try ProcessRunner.start(
            "/usr/bin/env", ["python3", script, String(port), folder],
            environment: ProcessInfo.processInfo.environment, separateErrors: true)
        defer {
            server.signal(SIGTERM)
            _ = try? server.wait()
        }
        let endpoint = "http://127.0.0.1:\(port)"
        let probe = HTTPSession()
        for _ in 0..<100 where (try? probe.get(endpoint + "/_attempts", headers: [])) == nil { usleep(100_000) }

        let access = S3Access(region: "us-west-2", endpoint: endpoint, credentials: nil)
        let sources = LoadSources(logData: "s3://faulty/log_data", logJSONPaths: nil, songData: "s3://faulty/song_data", s3: access)
        let load = try LoadHarness("faulty", sources: sources)
        let outcomes = try load.run([.drop, .create, .copy])
        XCTAssertEqual(outcomes[2].rows, 1_200, "three objects of 400 lines, each once")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 1_200)
        XCTAssertEqual(try load.count("select count(distinct (item_in_session, ts)) from staging.events"), 400)
        XCTAssertEqual(try load.count("select count(*) from staging.events where ts = 1541030401000"), 3)

        let attempts = try JSONSerialization.jsonObject(with: Data(probe.get(endpoint + "/_attempts", headers: []).body)) as? [String: Int]
        XCTAssertEqual(attempts?["log_data/2018-11-01-events.json"], 1)
        XCTAssertEqual(attempts?["log_data/2018-11-02-drop-events.json"], 2, "cut short once, fetched again whole")
        XCTAssertEqual(attempts?["log_data/2018-11-03-throttle-events.json"], 3, "SlowDown twice, then the bytes")
    }

    /// The faulty look-alike serving `files` (name: lines) under log_data/, one song under song_data/.
    private func faultyServer(_ label: String, logs: [String: [String]]) throws -> (endpoint: String, sources: LoadSources, stop: () -> Void) {
        let folder = TestServer.scratchDirectory(label)
        try FileManager.default.createDirectory(atPath: folder + "/log_data", withIntermediateDirectories: true)
        for (name, lines) in logs {
            try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/log_data/" + name, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: folder + "/song_data", withIntermediateDirectories: true)
        try Dataset.song(id: "SO1", title: #""Song 1""#, artist: #""Band""#, artistID: "AR1", duration: "100.0")
            .write(toFile: folder + "/song_data/SO1.json", atomically: true, encoding: .utf8)
        let port = try LocalS3.freePort()
        let script = URL(fileURLWithPath: LocalS3.fixture).deletingLastPathComponent().appendingPathComponent("s3_faulty.py").path
        let server = try ProcessRunner.start(
            "/usr/bin/env", ["python3", script, String(port), folder],
            environment: ProcessInfo.processInfo.environment, separateErrors: true)
        let endpoint = "http://127.0.0.1:\(port)"
        let probe = HTTPSession()
        for _ in 0..<100 where (try? probe.get(endpoint + "/_attempts", headers: [])) == nil { usleep(100_000) }
        let access = S3Access(region: "us-west-2", endpoint: endpoint, credentials: nil)
        let sources = LoadSources(logData: "s3://faulty/log_data", logJSONPaths: nil, songData: "s3://faulty/song_data", s3: access)
        return (
            endpoint, sources,
            {
                server.signal(SIGTERM)
                _ = try? server.wait()
            }
        )
    }

    private static func plays(_ count: Int) -> [String] {
        (1...count).map { item in
            Dataset.play(#""Song \#(item)""#, by: #""Band""#, length: "100.0", ts: 1_541_030_400_000 + Int64(item) * 1000, session: 7, item: item)
        }
    }

    func testABodyCutShortIsFetchedAgainOrFailsTheStep() throws {
        let server = try faultyServer("cut", logs: ["a-cutonce-events.json": Self.plays(300), "b-events.json": Self.plays(5)])
        defer { server.stop() }
        let load = try LoadHarness("cutonce", sources: server.sources)
        let outcomes = try load.run([.drop, .create, .copy])
        XCTAssertEqual(outcomes[2].rows, 305, "the cut answer was fetched again, whole")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 305)

        let always = try faultyServer("cutalways", logs: ["a-cutalways-events.json": Self.plays(300)])
        defer { always.stop() }
        let broken = try LoadHarness("cutalways", sources: always.sources)
        try broken.run([.drop, .create])
        XCTAssertThrowsError(try broken.run([.copy])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("s3://faulty/log_data/a-cutalways-events.json"), text)
            XCTAssertTrue(text.contains("bytes where the listing said"), text)
            XCTAssertTrue(text.contains("gave up after 7 attempts"), text)
        }
        XCTAssertEqual(try broken.count("select count(*) from staging.events"), 0, "nothing of it loaded as if whole")
        XCTAssertEqual(try broken.count("select count(*) from staging.load_manifest"), 0, "nor marked loaded")
    }

    func testAServerThatNeverAnswersIsGivenUpInSecondsAndSaysItRetries() throws {
        let server = try faultyServer("stall", logs: ["stall-events.json": Self.plays(1)])
        defer { server.stop() }
        let client = S3Client(access: try XCTUnwrap(server.sources.s3))
        client.stallTimeout = 1
        let said = Locked<[String?]>([])
        client.onRetry = { text in said.update { $0.append(text) } }
        XCTAssertThrowsError(try client.get(bucket: "faulty", key: "log_data/stall-events.json")) { error in
            // Three stalls, not seven attempts of a stall timeout each.
            XCTAssertTrue("\(error)".contains("gave up after 3 attempts"), "\(error)")
        }
        XCTAssertEqual(
            said.current.first??.hasPrefix("retrying (2 of 7): s3://faulty/log_data/stall-events.json: the connection failed"), true,
            "\(said.current)")
        XCTAssertEqual(said.current.count, 2)
    }
}
