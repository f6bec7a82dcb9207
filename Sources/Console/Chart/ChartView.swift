import Warehouse

/// The chart overlay: labels on the left, bars scaled to the box, each value printed after its
/// bar; with several number columns, a legend and one bar a column under each label.
enum ChartView {
    static let seriesStyles: [Style] = [.barDone, .good, .running, .warning, .key]

    static func draw(_ screen: ScreenBuffer, _ rect: Rect, chart: BarChart, scroll: Int) {
        screen.fill(rect)
        let inner = rect.inner
        let legend = chart.series.count > 1 ? 1 : 0
        let height = max(1, inner.height - legend)
        let top = max(0, min(scroll, chart.lineCount - height))
        var note =
            chart.lineCount > height
            ? "bars \(top / chart.series.count + 1)–\(min(chart.labels.count, (top + height) / chart.series.count)) of \(chart.labels.count) · " : ""
        if chart.rowsLeftOut > 0 { note += "first \(BarChart.maximumBars) rows · " }
        Frame.draw(screen, rect, title: chart.title, focused: true, note: note + "Esc closes")
        if legend == 1 {
            var col = inner.col + 1
            for (index, series) in chart.series.enumerated() {
                let key = "■ \(series.name)  "
                screen.put(key, row: inner.row, col: col, style: seriesStyles[index % seriesStyles.count], clip: inner)
                col += CellText.width(key)
            }
        }
        let labelWidth = min(max(4, chart.labels.map(CellText.width).max() ?? 4), inner.width / 3)
        let valueTexts = chart.series.map(\.texts)
        let valueWidth = valueTexts.flatMap { $0.map(CellText.width) }.max() ?? 4
        let barWidth = max(1, inner.width - labelWidth - valueWidth - 5)
        let scale = chart.scale
        for line in 0..<min(height, chart.lineCount - top) {
            let index = top + line
            let bar = index / chart.series.count
            let series = index % chart.series.count
            let row = inner.row + legend + line
            if series == 0 { screen.put(TextFit.fit(chart.labels[bar], labelWidth), row: row, col: inner.col + 1, clip: inner) }
            let value = chart.series[series].values[bar]
            let drawn = BarChart.bar(value ?? 0, scale: scale, width: barWidth)
            let col = inner.col + 2 + labelWidth
            screen.put(drawn, row: row, col: col, style: seriesStyles[series % seriesStyles.count], clip: inner)
            screen.put(
                valueTexts[series][bar], row: row, col: col + CellText.width(drawn) + 1, style: value == nil ? .null : .normal, clip: inner)
        }
    }
}
