/// A bar of `width` cells, filled to `fraction`: solid for done, shaded for the rest, so it
/// reads without colour too.
enum ProgressBar {
    static func draw(_ screen: ScreenBuffer, row: Int, col: Int, width: Int, fraction: Double, clip: Rect? = nil) {
        guard width > 0 else { return }
        let done = Int((max(0, min(1, fraction)) * Double(width)).rounded(.down))
        screen.put(String(repeating: "█", count: done), row: row, col: col, style: .barDone, clip: clip)
        screen.put(String(repeating: "░", count: width - done), row: row, col: col + done, style: .barLeft, clip: clip)
    }
}
