import Foundation

/// One thread that runs jobs in order. Each database connection lives on exactly one worker,
/// because a libpq connection must not be used from two threads at once.
final class SerialWorker {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private(set) var isBusy = false

    init(name: String) {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        thread.start()
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// True while a job runs or waits: the UI asks before queuing a second ping behind a slow one.
    var hasWork: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isBusy || !jobs.isEmpty
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            isBusy = true
            condition.unlock()
            job()
            condition.lock()
            isBusy = false
            condition.unlock()
        }
    }
}
