import Foundation
import PostgresClient
import Warehouse

/// `sparkify etl`'s progress on stderr: one line rewritten in place on a terminal, plain lines
/// (a copy's every few seconds) when stderr is a file or a pipe, so logs stay readable.
final class ProgressDisplay: Sendable {
    private let interactive = isatty(STDERR_FILENO) == 1
    private struct Line {
        var lastPlainLine = 0.0
        var lineShown = false
        /// The latest progress of each step running: the two copy steps run at once, and the
        /// line shows both rather than flicker between them.
        var running: [LoadStep: StepProgress] = [:]
    }
    /// Progress arrives from the ticker's thread, the step's end from the load's.
    private let line = Locked(Line())

    func begin(_ step: LoadStep) {
        if !interactive { Terminal.write("\(step) ...\n") }
    }

    func update(_ progress: StepProgress) {
        line.update { line in
            line.running[progress.step] = progress
            if interactive {
                let all = LoadStep.all.compactMap { line.running[$0] }
                let text = all.count > 1 ? all.map(Self.brief).joined(separator: "  |  ") : Self.describe(progress)
                Terminal.write("\r\u{1B}[K" + text)
                line.lineShown = true
            } else if progress.copy != nil, progress.elapsed - line.lastPlainLine >= 5 {
                line.lastPlainLine = progress.elapsed
                Terminal.write(Self.describe(progress) + "\n")
            }
        }
    }

    func finish(_ outcome: StepOutcome) {
        var text = "\(outcome.step): "
        switch outcome.step.phase {
        case .drop, .create: text += "done"
        case .copy: text += "\(Figures.count(outcome.rows)) rows"
        case .insert: text += "\(Figures.count(outcome.rows)) rows inserted or changed"
        }
        text += " in \(Figures.duration(outcome.elapsed))"
        if outcome.filesSkipped > 0 { text += ", \(Figures.count(outcome.filesSkipped)) files already loaded" }
        if outcome.rejected > 0 { text += ", \(Figures.count(outcome.rejected)) bad records kept in staging.load_errors" }
        line.update { line in
            clearLine(&line)
            line.running[outcome.step] = nil
            Terminal.write(text + "\n")
            line.lastPlainLine = 0
        }
    }

    /// A line of its own between progress updates (the progress line comes back with the next).
    func note(_ text: String) {
        line.update { line in
            clearLine(&line)
            Terminal.note(text)
        }
    }

    func fail(_ step: LoadStep) {
        line.update {
            clearLine(&$0)
            $0.running[step] = nil
        }
    }

    /// One step's progress in few words, for a line shared by two: "copy staging.songs 62% 41,000 rows".
    static func brief(_ progress: StepProgress) -> String {
        guard let copy = progress.copy else { return "\(progress.step)  \(Figures.duration(progress.elapsed))" }
        return "\(progress.step) \(copy.percentText) \(Figures.count(copy.rowsDone)) rows"
    }

    private func clearLine(_ line: inout Line) {
        if interactive && line.lineShown { Terminal.write("\r\u{1B}[K") }
        line.lineShown = false
    }

    static func describe(_ progress: StepProgress) -> String {
        var text = "\(progress.step)  \(Figures.duration(progress.elapsed))"
        guard let copy = progress.copy else { return text }
        if copy.awaitingServerFigures { return text + "  " + CopyProgress.awaitingServerWords }
        text += "  \(Figures.count(copy.filesDone))/\(copy.filesTotalText) files"
        text += "  \(Figures.bytes(copy.bytesDone))/\(Figures.bytes(copy.bytesTotal))" + (copy.stillListing ? "+ (listing)" : "")
        text += "  \(Figures.count(copy.rowsDone))"
        if let total = copy.estimatedRowsTotal, copy.bytesDone < copy.bytesTotal { text += "/~\(Figures.count(total))" }
        text += " rows"
        if copy.rejected > 0 { text += "  \(Figures.count(copy.rejected)) rejected" }
        if let retrying = copy.retrying { text += "  \(retrying)" }
        if progress.elapsed > 0.5, copy.bytesDone > 0 {
            let rate = Double(copy.bytesDone) / progress.elapsed
            text += "  \(Figures.bytes(Int(rate)))/s"
            if !copy.stillListing, copy.bytesDone < copy.bytesTotal {
                text += "  \(Figures.duration(Double(copy.bytesTotal - copy.bytesDone) / rate)) left"
            }
        }
        return text
    }
}
