/// Anything that generates traffic: a user, an app, a benchmark customer, a campaign.
///
/// The engine wakes an actor in the hour of ``nextWake``; the actor then emits every request it starts
/// before `until` (later turns of a conversation may fall in later hours) and moves ``nextWake`` to or
/// past `until`.
protocol TrafficActor: AnyObject {
    var nextWake: Int64 { get }
    func wake(until: Int64, ctx: SimContext)
}
