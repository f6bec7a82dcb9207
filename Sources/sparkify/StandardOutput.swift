import ArgumentParser
import Foundation
import Warehouse

/// Every command's standard output, through one buffer: a write that fails (a full disk, an
/// I/O error) ends the command with a message naming it and exit 1, never as if the output were
/// whole; a reader that went away (`| head`) ends it quietly. Not `print` (stdio drops its
/// errors) nor `FileHandle.write` (which traps inside Foundation on a full disk).
struct StandardOutput {
    let buffer = OutputBuffer(descriptor: STDOUT_FILENO, target: "standard output")

    func line(_ text: String = "") { buffer.append(text + "\n") }
    func text(_ text: String) { buffer.append(text) }

    /// Writes what is held; throws exit 1, having said why, if any write failed.
    func finish() throws {
        do {
            try buffer.finish()
        } catch {
            Terminal.note("\(error)")
            throw ExitCode.failure
        }
    }
}
