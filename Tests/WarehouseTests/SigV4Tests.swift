import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// AWS's Signature Version 4 test suite (the `aws-sig-v4-test-suite` cases, service "service",
/// us-east-1, 2015-08-30T12:36:00Z) and the S3 documentation's worked GetObject example: each
/// checked at the canonical request, the string to sign, and the signature.
final class SigV4Tests: XCTestCase {
    private let suite = SigV4(
        credentials: AWSCredentials(
            accessKeyID: "AKIDEXAMPLE",
            secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            origin: "test"),
        region: "us-east-1", service: "service")
    private let host = (name: "Host", value: "example.amazonaws.com")
    private let date = (name: "X-Amz-Date", value: "20150830T123600Z")

    private func check(
        _ request: SigV4.Request, creq: String, sts: String, signature: String,
        signer: SigV4? = nil, amzDate: String = "20150830T123600Z",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let signed = (signer ?? suite).sign(request, amzDate: amzDate)
        XCTAssertEqual(signed.canonicalRequest, creq, "canonical request", file: file, line: line)
        XCTAssertEqual(signed.stringToSign, sts, "string to sign", file: file, line: line)
        XCTAssertEqual(signed.signature, signature, "signature", file: file, line: line)
    }

    func testGetVanilla() {
        check(
            SigV4.Request(method: "GET", path: "/", headers: [host, date]),
            creq:
                "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        let signed = suite.sign(SigV4.Request(method: "GET", path: "/", headers: [host, date]), amzDate: "20150830T123600Z")
        XCTAssertEqual(
            signed.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    func testQueryParametersSortByNameThenValue() {
        check(
            SigV4.Request(method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")], headers: [host, date]),
            creq:
                "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        check(
            SigV4.Request(method: "GET", path: "/", query: [("Param1", "value2"), ("Param1", "Value1")], headers: [host, date]),
            creq:
                "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
            signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1")
        check(
            SigV4.Request(method: "GET", path: "/", query: [("Param1", "value2"), ("Param1", "value1")], headers: [host, date]),
            creq:
                "GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nc968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
            signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694")
    }

    func testPathEncoding() {
        let unreserved = "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        check(
            SigV4.Request(method: "GET", path: unreserved, headers: [host, date]),
            creq:
                "GET\n\(unreserved)\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")
        check(
            SigV4.Request(method: "GET", path: "/ሴ", headers: [host, date]),
            creq:
                "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")
    }

    func testHeaderValuesTrimmedAndJoined() {
        check(
            SigV4.Request(
                method: "GET", path: "/",
                headers: [host, ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\""), date]),
            creq:
                "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\na726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")
        check(
            SigV4.Request(
                method: "GET", path: "/",
                headers: [
                    host, ("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"),
                    ("My-Header1", "value2"), date,
                ]),
            creq:
                "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
            signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01")
    }

    /// The S3 guide's GetObject example: a Range header and x-amz-content-sha256, service s3.
    func testS3GetObjectExample() {
        let s3 = SigV4(
            credentials: AWSCredentials(
                accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                secretAccessKey: Secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                origin: "test"),
            region: "us-east-1")
        check(
            SigV4.Request(
                method: "GET", path: "/test.txt",
                headers: [
                    ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                    ("x-amz-content-sha256", SigV4.emptyPayloadHash), ("x-amz-date", "20130524T000000Z"),
                ]),
            creq:
                "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            signer: s3, amzDate: "20130524T000000Z")
    }

    func testS3QueryEncodesSlashesAndSpaces() {
        XCTAssertEqual(
            SigV4.canonicalQuery([("prefix", "log_data/2018 11/"), ("list-type", "2")]),
            "list-type=2&prefix=log_data%2F2018%2011%2F")
        XCTAssertEqual(SigV4.encodedPath("/bucket/song_data/A/B/TR+x y.json"), "/bucket/song_data/A/B/TR%2Bx%20y.json")
    }

    func testCredentialOrder() throws {
        let folder = TestServer.scratchDirectory("credentials")
        let shared = folder + "/credentials"
        try "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = s1\n[other]\naws_access_key_id = OTHER\naws_secret_access_key = s2\n"
            .write(toFile: shared, atomically: true, encoding: .utf8)
        let config = try DwhConfig(ini: IniFile(path: "dwh.cfg", text: "[CLUSTER]\nHOST=h\nDB_NAME=d\nDB_USER=u\n[AWS]\nKEY=FROMCFG\nSECRET=s3\n"))
        let bare = try DwhConfig(ini: IniFile(path: "dwh.cfg", text: "[CLUSTER]\nHOST=h\nDB_NAME=d\nDB_USER=u\n"))
        let env = ["AWS_ACCESS_KEY_ID": "FROMENV", "AWS_SECRET_ACCESS_KEY": "s0", "AWS_SHARED_CREDENTIALS_FILE": shared]
        XCTAssertEqual(try AWSCredentials.resolve(config: config, environment: env)?.accessKeyID, "FROMENV")
        XCTAssertEqual(try AWSCredentials.resolve(config: config, environment: ["AWS_SHARED_CREDENTIALS_FILE": shared])?.accessKeyID, "FROMCFG")
        XCTAssertEqual(try AWSCredentials.resolve(config: bare, environment: ["AWS_SHARED_CREDENTIALS_FILE": shared])?.accessKeyID, "FROMFILE")
        let other = try AWSCredentials.resolve(config: bare, environment: ["AWS_SHARED_CREDENTIALS_FILE": shared, "AWS_PROFILE": "other"])
        XCTAssertEqual(other?.accessKeyID, "OTHER")
        XCTAssertEqual(other?.origin, "\(shared) [other]")
        XCTAssertNil(
            try AWSCredentials.resolve(config: bare, environment: ["AWS_SHARED_CREDENTIALS_FILE": folder + "/none"]),
            "no keys anywhere: unsigned requests")
        XCTAssertThrowsError(try AWSCredentials.resolve(config: bare, environment: ["AWS_ACCESS_KEY_ID": "X"])) {
            XCTAssertEqual("\($0)", "AWS_ACCESS_KEY_ID: is set but AWS_SECRET_ACCESS_KEY is not")
        }
        XCTAssertFalse("\(other!)".contains("s2"), "the secret never prints")
    }

    /// POST with an empty body (the Query API's signing starts here).
    func testPostVanilla() {
        check(
            SigV4.Request(method: "POST", path: "/", headers: [host, date]),
            creq:
                "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
    }

    /// A form-encoded POST body, as the IAM, Redshift and EC2 Query APIs take their parameters.
    func testPostXWWWFormURLEncoded() {
        let body = Array("Param1=value1".utf8)
        check(
            SigV4.Request(
                method: "POST", path: "/",
                headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded"), host, date],
                payloadHash: Digest.hex(Digest.sha256(body))),
            creq:
                "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            sts:
                "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }
}
