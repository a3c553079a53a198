import Foundation

/// Thresholds and weights of the detector. `config/detection.json` holds the documented defaults;
/// a file passed with `--config` may set any subset of keys (the rest keep their defaults).
/// Keys are snake_case in JSON. docs/detection.md explains every key.
public struct DetectionConfig: Codable, Sendable, Equatable {
    /// Per-account behaviour signals.
    public struct Behaviour: Codable, Sendable, Equatable {
        /// Requests needed before time-shape signals (24 h flatness, regularity) count.
        public var minEventsForShape = 40
        /// `max_tokens` at or above this counts as asking for the ceiling.
        public var maxTokensCeiling = 4096
        /// Account younger than this many hours at its first request counts as fresh.
        public var freshAccountHours = 72.0
        /// A follow-up turn (`turn` 2 or more) continues its conversation only if its input tokens reach the
        /// previous turn's input plus this share of that turn's output: a client that resends the history
        /// pays for it. A follow-up below that (and below ``continuationTruncationTokens``) carries none of
        /// its conversation's context and counts as a single-turn request. 0 turns the test off.
        public var continuationContextShare = 0.5
        /// A follow-up with at least this many input tokens continues its conversation whatever the previous
        /// turn sent (a client that trims a long history to a window).
        public var continuationTruncationTokens = 4096
        /// Weights of the behaviour signals in the account's behaviour score (a logistic sum).
        public var weights: [String: Double] = [
            "no_diurnal_rest": 1.6, "duty_cycle": 1.0, "regular_timing": 0.6, "single_turn": 0.8,
            "parameter_fixity": 0.7, "max_tokens_ceiling": 0.5, "multiple_completions": 0.6,
            "thinking": 0.4, "client_churn": 0.8, "key_rotation": 0.6, "fresh_account": 0.6,
            "rate_limit": 0.5, "reasoning_elicitation": 1.4, "api_extraction": 2.0, "dataset_sweep": 1.0,
            "ip_rotation": 0.8, "templated_product": -2.5,
        ]
        /// Logistic bias: behaviour score = sigmoid(sum(weight × signal) + bias).
        public var bias = -3.6
        /// Where the log does not record the fields some signals are built on (no `turn`, no sampling
        /// parameters, no client, no account records: ``LogCoverage``), the sum of weight × signal is
        /// multiplied by all positive weights over those of the signals the log can show, at most this much;
        /// 1 turns the correction off.
        public var unrecordedScaleCap = 2.0
        /// A templated product is one customer's: the `templated_product` signal counts in full while the
        /// account's template (its top system prompt or prompt frame) is sent by at most `product_rare_at`
        /// customers (accounts of one declared organisation, or paying with one card, are one customer), not at
        /// all from `product_common_at`, log-linear between. A template many unrelated customers send is a tool
        /// they share or an operation's wrapper, not a product that explains their traffic. `product_common_at`
        /// 0 turns the test off (every template counts as one customer's).
        public var productRareAt = 2
        public var productCommonAt = 10
        /// A template that asks for reasoning still counts as a product's (`templated_product` not lowered by the
        /// reasoning it elicits) when it is wholly one customer's, fronts 20 end users or more and is sent by at
        /// most this many accounts (production, staging, a developer's); 0 never.
        public var productReasoningMaxSenders = 3

        enum CodingKeys: String, CodingKey {
            case productRareAt = "product_rare_at"
            case productCommonAt = "product_common_at"
            case productReasoningMaxSenders = "product_reasoning_max_senders"
            case minEventsForShape = "min_events_for_shape"
            case maxTokensCeiling = "max_tokens_ceiling"
            case freshAccountHours = "fresh_account_hours"
            case continuationContextShare = "continuation_context_share"
            case continuationTruncationTokens = "continuation_truncation_tokens"
            case weights
            case bias
            case unrecordedScaleCap = "unrecorded_scale_cap"
        }
    }

    /// One kind of link key (shared payment instrument, IP, template, ...).
    public struct LinkKind: Codable, Sendable, Equatable {
        /// Weight of an edge from one shared value of this kind at full rarity.
        public var weight: Double
        /// A value shared by at most this many accounts is fully rare.
        public var rareAt: Int
        /// A value shared by this many accounts or more links nobody (unless its members are nearly
        /// all suspicious, see ``Clustering/cohortPurity``).
        public var commonAt: Int
        /// Infrastructure kinds are explained away between accounts of one declared organisation.
        public var infrastructure: Bool

        enum CodingKeys: String, CodingKey {
            case weight
            case rareAt = "rare_at"
            case commonAt = "common_at"
            case infrastructure
        }
    }

    public struct Links: Codable, Sendable, Equatable {
        public var kinds: [String: LinkKind] = [
            "payment": LinkKind(weight: 3.0, rareAt: 20, commonAt: 200, infrastructure: true),
            "card_bin_week": LinkKind(weight: 0.6, rareAt: 20, commonAt: 300, infrastructure: true),
            "ip": LinkKind(weight: 1.5, rareAt: 8, commonAt: 80, infrastructure: true),
            "network": LinkKind(weight: 0.8, rareAt: 12, commonAt: 200, infrastructure: true),
            "asn": LinkKind(weight: 0.3, rareAt: 20, commonAt: 400, infrastructure: true),
            "signup_ip": LinkKind(weight: 1.5, rareAt: 8, commonAt: 80, infrastructure: true),
            "signup_network": LinkKind(weight: 0.8, rareAt: 12, commonAt: 200, infrastructure: true),
            "tls": LinkKind(weight: 0.5, rareAt: 10, commonAt: 300, infrastructure: false),
            "user_agent": LinkKind(weight: 0.4, rareAt: 10, commonAt: 300, infrastructure: false),
            "email_pattern": LinkKind(weight: 0.6, rareAt: 15, commonAt: 400, infrastructure: false),
            "signup_burst": LinkKind(weight: 0.8, rareAt: 30, commonAt: 400, infrastructure: false),
            "template": LinkKind(weight: 0.7, rareAt: 10, commonAt: 200, infrastructure: false),
            "frame": LinkKind(weight: 0.7, rareAt: 10, commonAt: 300, infrastructure: false),
            "system_prompt": LinkKind(weight: 0.8, rareAt: 10, commonAt: 300, infrastructure: false),
            "near_duplicate": LinkKind(weight: 0.5, rareAt: 6, commonAt: 60, infrastructure: false),
            "exact_prompt": LinkKind(weight: 0.5, rareAt: 6, commonAt: 60, infrastructure: false),
            "behaviour_fingerprint": LinkKind(weight: 0.6, rareAt: 10, commonAt: 200, infrastructure: false),
            "lockstep": LinkKind(weight: 0.6, rareAt: 10, commonAt: 150, infrastructure: false),
            // Groups are formed only when their lift reaches `co_occurrence_lift`; size does not weaken them,
            // and a declared organisation explains its own accounts' shared habits.
            "co_occurrence": LinkKind(
                weight: 1.0, rareAt: 1_000_000_000, commonAt: 2_000_000_000, infrastructure: true),
        ]
        /// Distinct prompt keys held in the shared content table (entries beyond it are not added).
        public var contentTableCapacity = 4_000_000
        /// Accounts remembered per content key (the count of accounts goes on beyond it).
        public var contentKeyMemberCap = 64
        /// Exact and near-duplicate prompt keys link pairs only within groups of at most this many accounts,
        /// and a pair needs at least `content_pair_min_shared` shared keys (full weight 2 more).
        public var contentPairGroup = 16
        public var contentPairMinShared = 3
        /// ... and more than this many times the prompts they would share by chance (configuration model).
        public var contentPairLift = 4.0
        /// Width of a sign-up burst bucket, minutes.
        public var signupBurstMinutes = 30.0
        /// A bucket is a burst when it holds this many times the median non-empty bucket, and at least
        /// `signupBurstMinAccounts`.
        public var signupBurstFactor = 4.0
        public var signupBurstMinAccounts = 5
        /// A card BIN shared within one sign-up week links accounts only when that week holds at least this
        /// many times the BIN's average weekly sign-ups (a prepaid batch, not a big bank's everyday cards).
        public var cardBINBurstFactor = 4.0
        /// Two common values of different kinds (system prompt, active days, client configuration, frame, user
        /// agent) held together by at least `cohort_min_members` accounts link them when that many is this many
        /// times what independent values would give (N * share1 * share2).
        public var coOccurrenceLift = 20.0

        enum CodingKeys: String, CodingKey {
            case kinds
            case contentTableCapacity = "content_table_capacity"
            case contentKeyMemberCap = "content_key_member_cap"
            case contentPairGroup = "content_pair_group"
            case contentPairMinShared = "content_pair_min_shared"
            case contentPairLift = "content_pair_lift"
            case signupBurstMinutes = "signup_burst_minutes"
            case signupBurstFactor = "signup_burst_factor"
            case signupBurstMinAccounts = "signup_burst_min_accounts"
            case cardBINBurstFactor = "card_bin_burst_factor"
            case coOccurrenceLift = "co_occurrence_lift"
        }
    }

    public struct Clustering: Codable, Sendable, Equatable {
        /// An edge at least this heavy joins two accounts in one component.
        public var strongEdge = 1.0
        /// An edge at least this heavy joins two suspicious accounts in one component.
        public var suspiciousEdge = 0.5
        /// Accounts with behaviour score at least this count as suspicious for cohort keys and peeling.
        public var suspiciousBehaviour = 0.35
        /// A common key still links its suspicious members when at least this share of its members is
        /// suspicious (a value used only by a coordinated group is that group's signature).
        public var cohortPurity = 0.85
        /// Least members for a cohort key to link.
        public var cohortMinMembers = 5
        /// Members whose behaviour is below this and whose link weight into the campaign is below
        /// `peelLinkWeight` are peeled off.
        public var peelBehaviour = 0.4
        public var peelLinkWeight = 2.0
        /// Accounts too thin to judge on their own (fewer than `min_events_for_shape` requests, or under two
        /// days of them), joined by `strong_edge` links to each other, are judged together when at least this
        /// many: each takes the pooled group's behaviour score where it is higher than its own. 0 turns it off.
        public var poolMinMembers = 10
        /// Conduct test (``RequestConduct``): an account whose own requests look more like everyone else's than
        /// like a group's, by a log-likelihood ratio of their traits below minus this (in nats), is left out of a
        /// thin-account pool (which is judged without it) and is peeled from a cluster however strongly its
        /// addresses tie it, unless its own behaviour reaches `peel_behaviour`; a pool member takes the pool's score
        /// only when the ratio reaches this. A person whose home or phone address is also a proxy exit an operation
        /// used is tied to its accounts, but does not send what they send. A negative value turns the test off.
        public var conductMargin = 1.0
        /// Address pools (accounts left in no campaign): accounts with a behaviour score of at least
        /// `address_pool_behaviour`, each sharing rare IP addresses (held by at most the IP kind's `rare_at`
        /// accounts) with at least `address_pool_min_ties` others of them, in components of at least
        /// `pool_min_members`, are scored as campaigns. `address_pool_min_ties` 0 turns it off.
        public var addressPoolBehaviour = 0.2
        public var addressPoolMinTies = 2
        /// Attach an unclustered account to a campaign when a value it holds (client configuration, frame,
        /// activity days, ...) is shared by at least `attach_min_members` accounts, at least `attach_anchor` of
        /// them in that campaign and `attach_purity` of them in the campaign or behaving like its members
        /// (unclustered, with behaviour and harvest evidence reaching `attach_behaviour` and `attach_harvest`).
        public var attachMinMembers = 5
        public var attachPurity = 0.8
        public var attachAnchor = 0.25
        public var attachBehaviour = 0.2
        public var attachHarvest = 0.3
        /// An attached account must also keep its campaign's pace: requests per active hour within this factor
        /// of the members' median (an evaluation harness sending a thousand items in an hour does not behave like
        /// accounts sending one an hour, whatever wrapper both use). The same factor removes evaluation runners
        /// (`scoring.evaluation_*`) that far from a campaign's median pace from the campaign, however tied to it.
        /// 0 turns both tests off.
        public var attachPaceFactor = 10.0
        /// Card mates: an account with fewer than `behaviour.min_events_for_shape` requests (none at all included),
        /// of no declared organisation and not verified, that pays with a card also used by at least
        /// `card_mate_min_members` members of one campaign joins that campaign when those members are at least
        /// `card_mate_share` of the card's other holders with enough requests to judge (a reserve or replacement
        /// account on the operation's card; a team's card, whose well-observed users are mostly not in the
        /// campaign, attaches nobody). `card_mate_min_members` 0 turns it off.
        public var cardMateMinMembers = 2
        public var cardMateShare = 0.5
        /// Disposable fleets (``Investigation/poolDisposableFleets(_:groups:product:coverage:)``): a client or prompt
        /// wrapper (system prompt, frame, template, user agent, TLS fingerprint, parameter fingerprint) whose
        /// holders with requests are at least `fleet_share` disposable accounts (first request within
        /// `behaviour.fresh_account_hours` of sign-up, last within `fleet_life_hours` of the first), at least
        /// `fleet_min_members` of them, sending a median of at least `fleet_min_requests` requests each (a harvest
        /// account's worth before it is dropped, not a handful of tries), first used on at least `fleet_min_days`
        /// different days (staggered, one after another, not a cohort starting together), has its disposable
        /// holders judged together as one actor, like a pool of thin accounts; a fleet whose pooled harvest evidence
        /// (token ceiling, thinking, reasoning traces, n>1, API surface, dataset sweep) is below
        /// `fleet_min_harvest` is none. `fleet_min_members` 0 turns it off.
        public var fleetMinMembers = 20
        public var fleetShare = 0.8
        public var fleetLifeHours = 168.0
        public var fleetMinDays = 7
        public var fleetMinRequests = 10
        public var fleetMinHarvest = 0.3
        /// A fleet's members must send at a script's pace: the median over members of the typical gap between one
        /// member's requests (geometric mean) at most this many seconds (0: no bound). Its pooled score must also
        /// reach `suspicious_behaviour`.
        public var fleetMaxGapSeconds = 10.0
        /// A fleet's reserve accounts (``Investigation/attachFleetReserves(to:campaignOf:payGroups:profiles:)``):
        /// accounts that never sent a request on a card a fleet's member uses, whose other holders are all members
        /// of that member's campaign or sent nothing either, join the campaign.
        public var fleetReserveCards = true
        /// Thin address mates: an account with fewer than `behaviour.min_events_for_shape` requests (none at all
        /// included), of no declared organisation and not verified, holding an IP address or sign-up IP that at
        /// least `thin_address_mate_min_members` members of one campaign hold, joins that campaign when those
        /// members are at least `thin_address_mate_share` of the address's holders with enough requests to judge
        /// and at least half of all its holders, and at least `window_min_share` of its active hours fall inside
        /// the campaign's operating window (a proxy exit of the operation's, used once or twice by one of its
        /// short-lived accounts; not a campus NAT whose many light users outnumber the members on it).
        /// `thin_address_mate_min_members` 0 turns it off, the default: at seed scale it joined 160 genuine
        /// accounts and no campaign account (a residential proxy exit is also a household's address); 3 turns it on.
        public var thinAddressMateMinMembers = 0
        public var thinAddressMateShare = 0.8
        /// Suspect organisations: an unverified declared organisation with at least this many suspicious accounts
        /// (`suspicious_behaviour`) of its own explains nothing its accounts share: infrastructure links count
        /// between them, its thin accounts may pool, and card mates, address mates and address pools judge them
        /// (declaring an organisation costs nothing; a verified one always explains them). 0 turns it off.
        public var suspectOrgMinSuspicious = 2
        /// Team members: a campaign member paying with a card that at least this many other accounts with enough
        /// requests to judge use, most of them ordinary (in no campaign; for harvest cohorts, no trace harvesters
        /// either), leaves the campaign and is no cohort candidate (a genuine team's or family's card). 0 turns it
        /// off.
        public var teamCardMinOthers = 2
        /// Address mates: an account in no campaign holding an IP address or sign-up IP that at most that kind's
        /// `rare_at` accounts hold, at least half of them members of one campaign (and none of another), joins
        /// it when it has `address_mate_min_requests` requests or more and at least `address_mate_min_share` of
        /// them, and `address_mate_baseline_factor` times the median trace share of heavy accounts in no
        /// campaign, are harvest-like. `address_mate_min_share` 0 turns it off.
        public var addressMateMinShare = 0.1
        public var addressMateBaselineFactor = 1.5
        public var addressMateMinRequests = 5
        /// Address mates by several addresses: an account in no campaign holding at least this many IP addresses
        /// or sign-up IPs (each held by fewer than the kind's `common_at` accounts, at least half of them
        /// members of one campaign and none of another) joins that campaign when it has
        /// `address_mate_min_requests` requests or more, behaves like its members (`attach_behaviour`,
        /// `attach_harvest`), keeps their pace and lives inside its operating window. Below 2 turns it off; so does
        /// `address_mate_min_share` 0, which turns off the whole address-mate step.
        public var addressMateMinAddresses = 2
        /// Conduct mates of a harvest cohort (or of a campaign from a component of at least
        /// `harvest_cohort_min_members` accounts whose median member's trace share clears the high band's bar):
        /// an account in no campaign, a trace harvester by the high band (at least `harvest_cohort_median_factor`
        /// times the median of heavy accounts in no campaign and `harvest_cohort_min_share`; the low band does not
        /// count), behaving like a campaign member (`attach_behaviour`, `attach_harvest`), keeping the cohort's pace
        /// (`attach_pace_factor`), with at least this share of its active hours inside the cohort's operating window
        /// and living less than `window_span_factor` times that window, joins it. Not verified, of no declared organisation, no
        /// evaluation runner, no service fronting many end users, no member of a team's card. Only a cohort whose
        /// operating window spans at most `conduct_mate_max_window` of the log's span has conduct mates: living
        /// inside a window that covers most of the log is what every account does, and says nothing. A campaign split
        /// from a larger component is judged by its component's window and by its own, whichever holds the account.
        /// `conduct_mate_window_share` 0 turns it off.
        public var conductMateWindowShare = 0.8
        public var conductMateMaxWindow = 0.5
        /// Tie mates of a harvest cohort: an account in no campaign, a trace harvester (either band), behaving like a
        /// campaign member (`attach_behaviour`, `attach_harvest`), keeping the cohort's pace and not living outside
        /// its operating window, with `harvest_cohort_min_ties` or more ties of any weight to the cohort's accounts
        /// (ties to accounts paying with its own card not counted) whose summed weight is at least this many times
        /// what its ties to all accounts give by chance (the configuration model: its link weight times the
        /// cohort's, over twice the graph's), joins it. Not verified, of no declared organisation, no evaluation
        /// runner, no service fronting many end users, no member of a team's card. 0 turns it off.
        public var tieMateLift = 3.0
        /// A campaign of at least `window_min_members` accounts operates in a window (from the 10th percentile
        /// of its members' first requests to the 90th percentile of their last). A member living at least
        /// `window_span_factor` times as long as that window with less than `window_min_share` of its active
        /// hours inside it, and no tie of `peel_link_weight` to a member inside it, is a bystander (a long-lived
        /// heavy user who shares a client or a card batch with the campaign) and leaves it; such accounts are
        /// not attached either. `window_min_share` 0 turns the rule off.
        public var windowMinShare = 0.5
        public var windowMinMembers = 5
        public var windowSpanFactor = 2.0
        /// Harvest bystanders: in a campaign with at least `window_min_members` members of
        /// `behaviour.min_events_for_shape` requests or more whose median share of harvest-like requests (reasoning
        /// traces, API probing) is at least `harvest_bystander_min_share`, a member asking for them on less than
        /// `harvest_bystander_factor` times that share, over enough requests that the campaign's share would have
        /// shown at least `harvest_bystander_min_expected` of them, and with no tie of `peel_link_weight` to a
        /// member inside it, leaves it (a power user sharing a client or a template with one harvester; what the
        /// campaign takes is not what it sends). `harvest_bystander_factor` 0 turns the rule off.
        public var harvestBystanderFactor = 0.1
        public var harvestBystanderMinShare = 0.1
        public var harvestBystanderMinExpected = 5.0
        /// Volume bystanders, judged in the same campaigns as harvest bystanders: a member sending at least
        /// `volume_bystander_factor` times the median request count of the well-observed members while asking for
        /// harvest-like requests on less than `volume_bystander_share` times their median share, with no tie of
        /// `peel_link_weight` to a member inside, leaves (a heavy user's automation sharing a client and a few
        /// popular prompts with accounts that split a harvest between them). `volume_bystander_factor` 0 turns the
        /// rule off.
        public var volumeBystanderFactor = 5.0
        public var volumeBystanderShare = 0.75
        /// Conversation bystanders: in a campaign of at least `window_min_members` members with
        /// `behaviour.min_events_for_shape` requests carrying `turn` or more, a member (as well observed) whose
        /// share of single-turn requests is at least `conversation_bystander_gap` below the median member's, with
        /// no tie of `peel_link_weight` to a member inside and fronting fewer than 20 end users, leaves (a person
        /// holding long conversations who shares popular prompts and a client with an operation whose software
        /// sends one question at a time; the accounts of one operation run the same software). 0 turns it off.
        public var conversationBystanderGap = 0.5
        /// Harvest cohorts (accounts left in no campaign): an account is a trace harvester when at least
        /// `harvest_cohort_min_requests` of its requests, `harvest_cohort_min_share` of them and
        /// `harvest_cohort_median_factor` times the median share of heavy accounts (50 requests or more) in no
        /// campaign ask for a reasoning trace one by one. Trace harvesters tied to one another by edges of
        /// `suspicious_edge` form a cohort; one of at least `harvest_cohort_min_members`, each with
        /// `harvest_cohort_min_ties` ties inside it, holding at least `harvest_cohort_tie_lift` times the ties
        /// among them that their ties to all accounts give by chance, is scored as a campaign.
        /// `harvest_cohort_min_share` 0 turns cohorts off. Where genuine users themselves ask for reasoning a lot
        /// (the median is high), a share of only `harvest_cohort_low_factor` times the median also makes a trace
        /// harvester when the account's own behaviour score reaches `harvest_cohort_low_behaviour`;
        /// `harvest_cohort_low_factor` at or above `harvest_cohort_median_factor` turns that band off. An
        /// account with fewer than `harvest_cohort_light_requests` requests (the heavy accounts' bar) is in the
        /// high band when the lower end of its share's Wilson 95% interval clears the bar, or with that behaviour
        /// score: its share alone is too uncertain; 0 turns that off.
        public var harvestCohortMinRequests = 5
        public var harvestCohortLightRequests = 50
        public var harvestCohortMinShare = 0.1
        public var harvestCohortMedianFactor = 3.0
        public var harvestCohortLowFactor = 1.5
        public var harvestCohortLowBehaviour = 0.2
        public var harvestCohortTieLift = 3.0
        public var harvestCohortMinMembers = 10
        public var harvestCohortMinTies = 2
        /// Fewest accounts in a campaign.
        public var minCampaignSize = 2
        /// Components with at least this many members are split into modularity communities (Louvain), each
        /// scored on its own; 0 turns splitting off.
        public var communityMinSize = 10
        /// Modularity resolution of the community split (above 1 splits finer).
        public var communityResolution = 1.0

        enum CodingKeys: String, CodingKey {
            case strongEdge = "strong_edge"
            case suspiciousEdge = "suspicious_edge"
            case suspiciousBehaviour = "suspicious_behaviour"
            case cohortPurity = "cohort_purity"
            case cohortMinMembers = "cohort_min_members"
            case peelBehaviour = "peel_behaviour"
            case peelLinkWeight = "peel_link_weight"
            case poolMinMembers = "pool_min_members"
            case conductMargin = "conduct_margin"
            case addressPoolBehaviour = "address_pool_behaviour"
            case addressPoolMinTies = "address_pool_min_ties"
            case attachMinMembers = "attach_min_members"
            case attachPurity = "attach_purity"
            case attachAnchor = "attach_anchor"
            case attachBehaviour = "attach_behaviour"
            case attachHarvest = "attach_harvest"
            case attachPaceFactor = "attach_pace_factor"
            case cardMateMinMembers = "card_mate_min_members"
            case cardMateShare = "card_mate_share"
            case fleetMinMembers = "fleet_min_members"
            case fleetShare = "fleet_share"
            case fleetLifeHours = "fleet_life_hours"
            case fleetMinDays = "fleet_min_days"
            case fleetMinRequests = "fleet_min_requests"
            case fleetMinHarvest = "fleet_min_harvest"
            case fleetMaxGapSeconds = "fleet_max_gap_seconds"
            case fleetReserveCards = "fleet_reserve_cards"
            case thinAddressMateMinMembers = "thin_address_mate_min_members"
            case thinAddressMateShare = "thin_address_mate_share"
            case suspectOrgMinSuspicious = "suspect_org_min_suspicious"
            case teamCardMinOthers = "team_card_min_others"
            case addressMateMinShare = "address_mate_min_share"
            case addressMateBaselineFactor = "address_mate_baseline_factor"
            case addressMateMinRequests = "address_mate_min_requests"
            case addressMateMinAddresses = "address_mate_min_addresses"
            case conductMateWindowShare = "conduct_mate_window_share"
            case conductMateMaxWindow = "conduct_mate_max_window"
            case tieMateLift = "tie_mate_lift"
            case windowMinShare = "window_min_share"
            case windowMinMembers = "window_min_members"
            case windowSpanFactor = "window_span_factor"
            case harvestBystanderFactor = "harvest_bystander_factor"
            case harvestBystanderMinShare = "harvest_bystander_min_share"
            case harvestBystanderMinExpected = "harvest_bystander_min_expected"
            case volumeBystanderFactor = "volume_bystander_factor"
            case volumeBystanderShare = "volume_bystander_share"
            case conversationBystanderGap = "conversation_bystander_gap"
            case harvestCohortMinRequests = "harvest_cohort_min_requests"
            case harvestCohortLightRequests = "harvest_cohort_light_requests"
            case harvestCohortMinShare = "harvest_cohort_min_share"
            case harvestCohortMedianFactor = "harvest_cohort_median_factor"
            case harvestCohortLowFactor = "harvest_cohort_low_factor"
            case harvestCohortLowBehaviour = "harvest_cohort_low_behaviour"
            case harvestCohortTieLift = "harvest_cohort_tie_lift"
            case harvestCohortMinMembers = "harvest_cohort_min_members"
            case harvestCohortMinTies = "harvest_cohort_min_ties"
            case minCampaignSize = "min_campaign_size"
            case communityMinSize = "community_min_size"
            case communityResolution = "community_resolution"
        }
    }

    public struct Scoring: Codable, Sendable, Equatable {
        /// A cluster scoring at least this is reported as a campaign.
        public var campaignThreshold = 0.5
        /// Accounts scoring at least this are listed in findings.json.
        public var reportThreshold = 0.5
        /// Behaviour-score multiplier for accounts of a verified organisation.
        public var verifiedFactor = 0.3
        /// Accounts at least this old at first use, on a paid tier, count as established.
        public var establishedAccountDays = 180.0
        public var establishedFactor = 0.7
        /// An old paying account counts as established only if it was in use when the log opens: its first
        /// request within this many days of the log's first request. An account idle for weeks of the window
        /// (and its sign-up months before), first used mid-window, has shown no history of use; aged accounts
        /// bought or kept in reserve for an operation look like that. 0 drops the test (age and tier alone).
        public var establishedActiveWithinDays = 7.0
        /// Evaluation runs: a member on a paid tier, at least `evaluation_min_age_days` old at its first request,
        /// sending at least `evaluation_pace` requests per active hour, runs evaluations in bursts (a benchmark
        /// harness), not a standing harvest. The score of a campaign of at most `evaluation_max_members` accounts
        /// (a customer's few accounts, not an operation's hundreds) is multiplied by 1 - `evaluation_discount` x
        /// the share of such members. `evaluation_discount` 0 turns it off. A member whose API-surface extraction
        /// signal reaches `evaluation_max_extraction` (logit-bias sweeps, logprobs over answers, one-token probes of
        /// prompts sent again and again) is probing the model, not evaluating it, and is no evaluation run however
        /// old its account and fast its pace.
        public var evaluationPace = 60.0
        public var evaluationMinAgeDays = 30.0
        public var evaluationDiscount = 0.5
        public var evaluationMaxMembers = 10
        public var evaluationMaxExtraction = 0.5
        /// An account linked to no cluster is a one-account campaign (a reseller, a prober) when its
        /// behaviour score, its harvest-content evidence and its volume reach these.
        public var soloBehaviour = 0.85
        public var soloHarvest = 0.8
        public var soloMinEvents = 200
        /// A reseller (an account fronting many end users, not a templated product) whose traffic is partly
        /// harvesting is a one-account campaign when at least `reseller_min_share` of its requests, and at
        /// least `reseller_baseline_factor` times the rate of accounts in no campaign, are harvest-like one by
        /// one, `reseller_min_requests` in number, and its harvest-content evidence reaches `reseller_harvest`.
        public var resellerMinShare = 0.06
        public var resellerBaselineFactor = 5.0
        public var resellerMinRequests = 100
        public var resellerHarvest = 0.5
        public var resellerMaxTemplateShare = 0.8
        /// Reseller estimates: requests of pure harvesters needed to measure the per-request test's
        /// sensitivity; below that, the sensitivity is taken as anywhere from `sensitivity_floor` to 1.
        public var calibrationMinRequests = 1000
        public var sensitivityFloor = 0.3

        enum CodingKeys: String, CodingKey {
            case campaignThreshold = "campaign_threshold"
            case reportThreshold = "report_threshold"
            case verifiedFactor = "verified_factor"
            case establishedAccountDays = "established_account_days"
            case establishedFactor = "established_factor"
            case establishedActiveWithinDays = "established_active_within_days"
            case evaluationPace = "evaluation_pace"
            case evaluationMinAgeDays = "evaluation_min_age_days"
            case evaluationDiscount = "evaluation_discount"
            case evaluationMaxMembers = "evaluation_max_members"
            case evaluationMaxExtraction = "evaluation_max_extraction"
            case soloBehaviour = "solo_behaviour"
            case soloHarvest = "solo_harvest"
            case soloMinEvents = "solo_min_events"
            case resellerMinShare = "reseller_min_share"
            case resellerBaselineFactor = "reseller_baseline_factor"
            case resellerMinRequests = "reseller_min_requests"
            case resellerHarvest = "reseller_harvest"
            case resellerMaxTemplateShare = "reseller_max_template_share"
            case calibrationMinRequests = "calibration_min_requests"
            case sensitivityFloor = "sensitivity_floor"
        }
    }

    public struct Content: Codable, Sendable, Equatable {
        public var minHashBins = 16
        public var bandRows = 4
        public var frameTokens = 6
        public var maxPromptBytes = 4096
        /// Prompt analyses remembered for repeated prompts (``AnalysisCache``); 0 analyses every request.
        public var analysisCacheSlots = 4_194_304

        enum CodingKeys: String, CodingKey {
            case minHashBins = "min_hash_bins"
            case bandRows = "band_rows"
            case frameTokens = "frame_tokens"
            case maxPromptBytes = "max_prompt_bytes"
            case analysisCacheSlots = "analysis_cache_slots"
        }
    }

    public var behaviour = Behaviour()
    public var links = Links()
    public var clustering = Clustering()
    public var scoring = Scoring()
    public var content = Content()

    public init() {}

    /// The built-in defaults (identical to config/detection.json).
    public static let `default` = DetectionConfig()

    /// Loads a config file: any subset of keys, merged over the defaults.
    public static func load(path: String) throws -> Self {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DetectionError(code: .badConfig, message: "cannot read config file", file: path)
        }
        return try load(data: data, path: path)
    }

    /// Parses config JSON merged over the defaults.
    public static func load(data: Data, path: String = "<config>") throws -> Self {
        let user: Any
        do {
            user = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw DetectionError(code: .badConfig, message: "config is not valid JSON: \(error)", file: path)
        }
        guard let userObject = user as? [String: Any] else {
            throw DetectionError(code: .badConfig, message: "config must be a JSON object", file: path)
        }
        let defaults = try JSONSerialization.jsonObject(with: try DetectionConfig.default.encoded()) as! [String: Any]
        if let unknown = unknownKeys(userObject, defaults, prefix: "").first {
            throw DetectionError(code: .badConfig, message: "unknown config key \(unknown)", file: path)
        }
        let merged = merge(defaults, userObject)
        let config: DetectionConfig
        do {
            let decoder = JSONDecoder()
            config = try decoder.decode(DetectionConfig.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch {
            throw DetectionError(
                code: .badConfig, message: "config has a value of the wrong type: \(error)", file: path)
        }
        let c = config.content
        let bands = c.bandRows > 0 ? c.minHashBins / c.bandRows : 0
        guard c.minHashBins >= 1, c.bandRows >= 1, (1...BandKeys.capacity).contains(bands) else {
            throw DetectionError(
                code: .badConfig,
                message: "content.min_hash_bins / content.band_rows must give 1 to \(BandKeys.capacity) bands "
                    + "(got \(c.minHashBins) / \(c.bandRows))",
                file: path)
        }
        guard (1...65_536).contains(config.links.contentKeyMemberCap) else {
            throw DetectionError(
                code: .badConfig,
                message: "links.content_key_member_cap must be 1 to 65536 (got \(config.links.contentKeyMemberCap))",
                file: path)
        }
        return config
    }

    /// The config as canonical JSON (sorted keys, snake_case), as written to config/detection.json.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    static func merge(_ base: [String: Any], _ over: [String: Any]) -> [String: Any] {
        var out = base
        for (k, v) in over {
            if let vo = v as? [String: Any], let bo = base[k] as? [String: Any] {
                out[k] = merge(bo, vo)
            } else {
                out[k] = v
            }
        }
        return out
    }

    /// Keys in `user` absent from `defaults`, except inside open maps (weights, link kinds).
    static func unknownKeys(_ user: [String: Any], _ defaults: [String: Any], prefix: String) -> [String] {
        var out: [String] = []
        for (k, v) in user.sorted(by: { $0.key < $1.key }) {
            guard let d = defaults[k] else {
                out.append(prefix + k)
                continue
            }
            if k == "weights" || k == "kinds" { continue }
            if let vo = v as? [String: Any], let dobj = d as? [String: Any] {
                out += unknownKeys(vo, dobj, prefix: prefix + k + ".")
            }
        }
        return out
    }
}
