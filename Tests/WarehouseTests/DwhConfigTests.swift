import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

final class DwhConfigTests: XCTestCase {
    private func write(_ text: String, mode: mode_t = 0o600) -> String {
        let path = TestServer.scratchDirectory("cfg") + "/dwh.cfg"
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    private func loadError(_ text: String) -> ConfigError? {
        let path = write(text)
        do {
            _ = try DwhConfig.load(path: path)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    func testReadsTheFileUsersHaveQuotedOrBareInAnyOrder() throws {
        let config = try DwhConfig.load(
            path: write(
                """
                [AWS]
                KEY=AKIAEXAMPLE
                SECRET=shh

                [CLUSTER]
                db_password='Passw0rd'
                DB_PORT=5439
                Host = sparkify.abc123.us-west-2.redshift.amazonaws.com
                DB_NAME='dev'
                DB_USER=awsuser

                [IAM_ROLE]
                ARN='arn:aws:iam::123456789012:role/dwhRole'

                [S3]
                LOG_DATA='s3://udacity-dend/log_data'
                LOG_JSONPATH=s3://udacity-dend/log_json_path.json
                SONG_DATA='s3://udacity-dend/song_data'

                [DWH]
                DWH_CLUSTER_TYPE=multi-node
                DWH_NUM_NODES=4
                """))
        XCTAssertEqual(config.connection.host, "sparkify.abc123.us-west-2.redshift.amazonaws.com")
        XCTAssertEqual(config.connection.port, 5439)
        XCTAssertEqual(config.connection.database, "dev")
        XCTAssertEqual(config.connection.user, "awsuser")
        XCTAssertEqual(config.connection.password, Secret("Passw0rd"))
        XCTAssertEqual(config.connection.sslMode, "require")
        XCTAssertEqual(config.expectedEngine, .redshift)
        XCTAssertEqual(config.iamRole, "arn:aws:iam::123456789012:role/dwhRole")
        XCTAssertEqual(config.logData, "s3://udacity-dend/log_data")
        XCTAssertEqual(config.logJSONPath, "s3://udacity-dend/log_json_path.json")
        XCTAssertEqual(config.songData, "s3://udacity-dend/song_data")
        XCTAssertEqual(config.region, "us-west-2")
        XCTAssertTrue(config.warnings.isEmpty)
    }

    func testLocalPostgresDefaultsAndSocketDirectoryHost() throws {
        let config = try DwhConfig.load(path: write("[cluster]\nhost=/var/run/postgresql\ndb_name=sparkify\ndb_user=me\n"))
        XCTAssertEqual(config.connection.host, "/var/run/postgresql")
        XCTAssertEqual(config.connection.port, 5432)
        XCTAssertNil(config.connection.password)
        XCTAssertEqual(config.connection.sslMode, "prefer")
        XCTAssertEqual(config.expectedEngine, .postgres)
    }

    func testMissingHostNamesFileAndKey() {
        let error = loadError("[CLUSTER]\nDB_NAME=dev\nDB_USER=u\n")
        XCTAssertEqual(error?.key, "[CLUSTER] HOST")
        XCTAssertEqual(error?.line, 1)
        XCTAssertTrue(error?.description.hasSuffix("dwh.cfg:1: [CLUSTER] HOST: missing") == true, "\(String(describing: error))")
    }

    func testMissingClusterSection() {
        let error = loadError("[S3]\nLOG_DATA=x\n")
        XCTAssertEqual(error?.key, "[CLUSTER] HOST")
        XCTAssertTrue(error?.problem.contains("no [CLUSTER] section") == true)
    }

    func testBadPortNamesTheLine() {
        let error = loadError("[CLUSTER]\nHOST=h\nDB_NAME=d\nDB_USER=u\nDB_PORT='fifty'\n")
        XCTAssertEqual(error?.line, 5)
        XCTAssertEqual(error?.key, "[CLUSTER] DB_PORT")
        XCTAssertTrue(error?.problem.contains("'fifty'") == true)
        XCTAssertEqual(loadError("[CLUSTER]\nHOST=h\nDB_NAME=d\nDB_USER=u\nDB_PORT=70000\n")?.line, 5)
    }

    func testGarbageLineNamesTheLine() {
        let error = loadError("[CLUSTER]\nHOST=h\nthis is not a setting\n")
        XCTAssertEqual(error?.line, 3)
    }

    func testThePasswordNeverAppearsInErrorsOrDescriptions() throws {
        let secret = "S3cr3t-Value"
        let config = try DwhConfig.load(path: write("[CLUSTER]\nHOST=h.example\nDB_NAME=d\nDB_USER=u\nDB_PASSWORD=\(secret)\n"))
        XCTAssertFalse("\(config)".contains(secret))
        XCTAssertFalse(String(reflecting: config).contains(secret))
        XCTAssertFalse(config.connection.displayName.contains(secret))
        // An error on the password line itself still does not echo the value.
        let error = loadError("[CLUSTER]\nHOST=h\nDB_NAME=\nDB_USER=u\nDB_PASSWORD=\(secret)\n")
        XCTAssertNotNil(error)
        XCTAssertFalse("\(String(describing: error))".contains(secret))
    }

    func testWarnsWhenAPasswordFileIsReadableByOthers() throws {
        let text = "[CLUSTER]\nHOST=h\nDB_NAME=d\nDB_USER=u\nDB_PASSWORD=x\n"
        let open = try DwhConfig.load(path: write(text, mode: 0o644))
        XCTAssertEqual(open.warnings.count, 1)
        XCTAssertTrue(open.warnings[0].contains("chmod 600"))
        XCTAssertTrue(try DwhConfig.load(path: write(text, mode: 0o600)).warnings.isEmpty)
    }

    func testTargetChoiceOrder() throws {
        let directory = TestServer.scratchDirectory("choice")
        guard case .embedded = try TargetChoice.resolve(local: false, configPath: nil, workingDirectory: directory) else {
            return XCTFail("no dwh.cfg should mean the embedded warehouse")
        }
        try "[CLUSTER]\nHOST=nearby\nDB_NAME=d\nDB_USER=u\n".write(toFile: directory + "/dwh.cfg", atomically: true, encoding: .utf8)
        guard case .configured(let nearby) = try TargetChoice.resolve(local: false, configPath: nil, workingDirectory: directory) else {
            return XCTFail("./dwh.cfg should be read")
        }
        XCTAssertEqual(nearby.connection.host, "nearby")
        guard case .embedded = try TargetChoice.resolve(local: true, configPath: nil, workingDirectory: directory) else {
            return XCTFail("--local wins")
        }
        let other = write("[CLUSTER]\nHOST=explicit\nDB_NAME=d\nDB_USER=u\n")
        guard case .configured(let explicit) = try TargetChoice.resolve(local: false, configPath: other, workingDirectory: directory) else {
            return XCTFail("--config wins over ./dwh.cfg")
        }
        XCTAssertEqual(explicit.connection.host, "explicit")
        XCTAssertThrowsError(try TargetChoice.resolve(local: false, configPath: directory + "/nope.cfg")) { error in
            XCTAssertTrue("\(error)".contains("nope.cfg"))
        }
    }

    /// A file saved on Windows: CR LF line ends, perhaps a byte order mark.
    func testReadsCRLFLineEndsAndAByteOrderMark() throws {
        let text = "\u{FEFF}[CLUSTER]\r\nHOST=localhost\r\nDB_NAME=dwh\r\nDB_USER=awsuser\r\nDB_PORT=5432\r\n"
        let config = try DwhConfig.load(path: write(text))
        XCTAssertEqual(config.connection.host, "localhost")
        XCTAssertEqual(config.connection.database, "dwh")
        XCTAssertEqual(config.connection.port, 5432)
        XCTAssertEqual(config.warnings, [])
    }

    func testWarnsOfRepeatsAndUnknownKeysWithTheirLines() throws {
        let path = write(
            """
            [CLUSTER]
            HOST=localhost
            DB_NAME=one
            DB_USER=awsuser
            SSLMOD=require
            DB_NAME=two
            [S3]
            LOG_DATA=/data/log_data
            [CLUSTER]
            DB_PORT=5432
            [SOMETHING_ELSE]
            ANY=thing
            """)
        let config = try DwhConfig.load(path: path)
        XCTAssertEqual(config.connection.database, "two", "the last value wins, as configparser's would")
        XCTAssertEqual(
            config.warnings,
            [
                "\(path):6: [CLUSTER] DB_NAME given again (first at line 3); this later value is used",
                "\(path):9: [CLUSTER] again (first at line 1); its keys are read as one section",
                "\(path):5: [CLUSTER] SSLMOD is not a key sparkify reads (did you mean SSLMODE?); it is ignored",
            ])
    }
}
