import Foundation

/// How counts, sizes and durations are written wherever the user reads them, so the console
/// and the headless commands say the same thing the same way.
public enum Figures {
    /// 8056 → "8,056".
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// Bytes in binary units: "512 B", "3.9 MiB".
    /// "1 row", "1,000 rows": the count formatted, with the noun in the number it needs
    /// (`plural` when adding an s will not do).
    public static func count(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count(value)) \(value == 1 ? noun : plural ?? noun + "s")"
    }

    public static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: amount < 10 ? "%.1f %@" : "%.0f %@", amount, units[unit])
    }

    /// Seconds: "0.42 s", "12.3 s", "3 min 04 s".
    public static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }

    /// A count in at most six characters, for narrow columns: "8,056", "462k", "1.2M".
    public static func compactCount(_ value: Int) -> String {
        let magnitude = Double(value.magnitude)
        let sign = value < 0 ? "-" : ""
        if magnitude < 100_000 { return count(value) }
        if magnitude < 1_000_000 { return sign + String(format: "%.0fk", magnitude / 1_000) }
        if magnitude < 1_000_000_000 { return sign + String(format: magnitude < 10_000_000 ? "%.1fM" : "%.0fM", magnitude / 1_000_000) }
        return sign + String(format: "%.1fG", magnitude / 1_000_000_000)
    }

    /// A duration in at most six characters: "0.42 s", "12.3 s", "3m 04s", "2h 05m".
    public static func shortDuration(_ seconds: Double) -> String {
        if seconds < 60 { return duration(seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%dm %02ds", whole / 60, whole % 60) }
        return String(format: "%dh %02dm", whole / 3600, (whole % 3600) / 60)
    }
}
