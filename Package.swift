// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sparkify",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sparkify", targets: ["sparkify"])
    ],
    dependencies: [
        // The one Swift package we take: command-line parsing done well, and carried by this machine.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "CNCursesW",
            cSettings: [.define("_XOPEN_SOURCE_EXTENDED"), .define("NCURSES_WIDECHAR", to: "1")],
            linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo")]
        ),
        // S3 sources: libcurl for HTTP, OpenSSL's libcrypto for SigV4's SHA-256 and HMAC.
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("crypto")]
        ),
        // Cold song folders: a read that says when the page cache lacks a file, and a hint that
        // starts the disk on the files ahead (Glibc's module declares neither preadv2's
        // RWF_NOWAIT nor anything under _GNU_SOURCE).
        .target(name: "CFileCache"),
        // The libpq client and the concurrency primitives everything above shares: no SQL of
        // the warehouse's, no files, no terminal. The engine and the front ends import it.
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ"]
        ),
        .target(
            name: "Warehouse",
            dependencies: ["PostgresClient", "CLibPQ", "CCurl", "CFileCache"]
        ),
        .target(
            name: "Console",
            dependencies: ["Warehouse", "PostgresClient", "CNCursesW"]
        ),
        .executableTarget(
            name: "sparkify",
            dependencies: [
                "Warehouse",
                "PostgresClient",
                "Console",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What the database and end-to-end tests share: the test server (the embedded server's
        // own code), the binary, tmux, moto's S3, datasets and golden files. A library, not a
        // test target, so both test targets can use it; only they depend on it.
        .target(
            name: "TestSupport",
            dependencies: ["Warehouse", "PostgresClient"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "WarehouseTests",
            dependencies: ["Warehouse", "PostgresClient", "TestSupport"],
            // Reviewed expected output, read from the source tree by path, not bundled.
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "Warehouse", "PostgresClient", "TestSupport"]
        ),
        // The real binary, driven as a user would: the CLI's commands, and the console in tmux.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Warehouse", "PostgresClient", "TestSupport"]
        ),
    ]
)
