//! Vocabularies of a victim's support plan, reflection period, and return
//! or residence (see `crate::support`).

use super::*;

vocabulary! {
    /// HTCDS 2.0 `spl_Type`: what a service of the victim's support plan
    /// provides.
    SupportType {
        Education => "education",
        Financial => "financial",
        Health => "health",
        LabourExploitationRehabilitation => "labour_exploitation_rehabilitation",
        Legal => "legal",
        Livelihood => "livelihood",
        RightsBasedTraining => "rights_based_training",
        SexualExploitationRehabilitation => "sexual_exploitation_rehabilitation",
        SocialCare => "social_care",
    }
}

vocabulary! {
    /// Where one service of a support plan stands.
    SupportStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Completed => "completed",
        Declined => "declined",
        Interrupted => "interrupted",
    }
}

vocabulary! {
    /// What was decided about a victim's stay: a residence permit in the
    /// country of destination, or a return to the country of origin.
    ResidenceDecision {
        Pending => "pending",
        TemporaryResidence => "temporary_residence",
        PermanentResidence => "permanent_residence",
        VoluntaryReturn => "voluntary_return",
        Repatriated => "repatriated",
        Other => "other",
    }
}

impl ResidenceDecision {
    /// Whether the decision sends the victim back to another country.
    pub fn is_return(self) -> bool {
        matches!(self, Self::VoluntaryReturn | Self::Repatriated)
    }
}

vocabulary! {
    /// Where a victim's reintegration plan stands.
    ReintegrationStatus {
        NotStarted => "not_started",
        Planned => "planned",
        InProgress => "in_progress",
        Completed => "completed",
        Interrupted => "interrupted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The support types are HTCDS 2.0's `spl_Type` values, exactly.
    #[test]
    fn support_types_are_htcds_values() {
        let names: Vec<&str> = SupportType::ALL.iter().map(|t| t.doc_name()).collect();
        assert_eq!(
            names,
            [
                "Education",
                "Financial",
                "Health",
                "LabourExploitationRehabilitation",
                "Legal",
                "Livelihood",
                "RightsBasedTraining",
                "SexualExploitationRehabilitation",
                "SocialCare",
            ]
        );
        for v in [
            SupportType::VOCABULARY,
            SupportStatus::VOCABULARY,
            ResidenceDecision::VOCABULARY,
            ReintegrationStatus::VOCABULARY,
        ] {
            assert!(v.doc_names.iter().all(|n| (v.accepts)(n)), "{}", v.name);
            assert!(!(v.accepts)("no-such-value"), "{}", v.name);
        }
    }
}
