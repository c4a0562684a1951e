// Stable vocabulary ids of the backend (crates/model/src/vocab.rs).
export const STAGES = [
  'intake', 'initial_response', 'identification', 'referral', 'planning', 'interviews', 'evidence',
  'financial', 'international', 'prosecution_review', 'trial_protection', 'assistance', 'closure',
] as const;
export const CASE_STATUSES = ['active', 'follow_up', 'closed', 'closed_referred'] as const;
export const ROLES = ['investigator', 'prosecutor', 'supervisor', 'admin'] as const;
export const JURISDICTIONS = ['KZ', 'KG', 'TJ', 'TM', 'UZ'] as const;
export const PERSON_KINDS = ['victim', 'suspect', 'witness'] as const;
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const EXPLOITATION = [
  'forced_labour', 'sexual_exploitation', 'child_labour', 'forced_marriage', 'servitude', 'forced_military',
  'organ_removal', 'forced_begging', 'forced_adoption', 'surrogacy', 'other',
] as const;
export const CONTROL_METHODS = [
  'debt_bondage', 'takes_earnings', 'restricts_financial_access', 'threats_of_violence', 'psychological_abuse',
  'physical_abuse', 'sexual_abuse', 'false_promises', 'psychoactive_substance', 'restricts_movement',
  'restricts_medical_care', 'excessive_working_hours', 'threats_law_enforcement', 'withholds_necessities',
  'withholds_documents', 'threats_to_family', 'other',
] as const;
export const TRAFFICKING_STATUSES = ['possible', 'actual', 'not_a_victim'] as const;
export const STATUS_DECIDED_BY = ['police', 'ngo', 'court_or_prosecution', 'social_services', 'other'] as const;
export const RECRUITMENT_METHODS = [
  'workplace', 'school', 'online_social_network', 'online_advertisement', 'print_or_broadcast_advertisement', 'family',
  'friend', 'intermediary', 'other',
] as const;
export const PERPETRATOR_ROLES = ['recruiter', 'transporter', 'broker', 'exploiter', 'smuggler', 'kidnapper', 'financier', 'other'] as const;
export const EVIDENCE_KINDS = [
  'document', 'phone', 'computer', 'cash', 'vehicle', 'photograph', 'financial_record', 'biological', 'other',
] as const;
export const EVENT_KINDS = ['recruitment', 'transit', 'exploitation'] as const;
export const REFERRAL_DIRECTIONS = ['incoming', 'outgoing'] as const;
export const RISK_SUBJECTS = ['victim', 'family', 'witness', 'officer', 'investigation'] as const;
export const REVIEW_KINDS = ['comment', 'request', 'sign_off'] as const;
export const DECISIONS = ['approved', 'rejected'] as const;
export const REQUEST_KINDS = ['mutual_legal_assistance', 'extradition', 'joint_investigation_team', 'interpol_notice', 'police_channel', 'consular_notification'] as const;
export const NOTICE_COLOURS = ['red', 'yellow', 'blue', 'black', 'green', 'orange', 'purple', 'silver', 'un_special'] as const;
export const LEGAL_BASES = ['bilateral_treaty', 'minsk1993', 'chisinau2002', 'untoc_article18', 'reciprocity', 'other'] as const;
export const REQUEST_STATUSES = ['drafted', 'sent', 'acknowledged', 'executed', 'refused', 'withdrawn'] as const;
export const TRANSPORT_MODES = ['air', 'road', 'rail', 'sea', 'on_foot', 'other'] as const;
export const IDENTIFIER_KINDS = ['phone', 'imei', 'email', 'messenger_account', 'social_account', 'website', 'other'] as const;
export const GROUP_ROLES = ['leader', 'organiser', 'member', 'accomplice', 'other'] as const;
export const CASE_LINK_KINDS = ['same_suspect', 'same_victim', 'same_network', 'same_route', 'same_place', 'other'] as const;
/** Templates a case starts when its facts call for them: the per-type
 *  indicator lists, and the procedures for a child victim. */
export const ID_TEMPLATES = [
  'identification-sexual', 'identification-labour', 'identification-domestic', 'identification-begging',
  'identification-children', 'identification-ilo11', 'child-procedures',
] as const;

/** Risk level = severity × likelihood (1–5 each): low, medium, high. */
export function riskBand(level: number): 'low' | 'medium' | 'high' {
  if (level >= 15) return 'high';
  if (level >= 6) return 'medium';
  return 'low';
}
// The court phase.
export const PROCEDURAL_STATUSES = ['recognised_victim', 'civil_claimant', 'suspect', 'accused', 'defendant', 'convicted', 'acquitted'] as const;
/** Statuses a decision gives a victim; the others are a suspect's. */
export const VICTIM_STATUSES = ['recognised_victim', 'civil_claimant'] as const;
export const MEASURE_KINDS = ['detention', 'house_arrest', 'bail', 'travel_restriction', 'personal_guarantee', 'electronic_monitoring', 'other'] as const;
export const CHARGE_STATUSES = ['brought', 'amended', 'dropped'] as const;
export const INDICTMENT_STATUSES = ['drafted', 'approved', 'returned_for_investigation', 'sent_to_court'] as const;
export const HEARING_KINDS = ['preliminary', 'trial', 'sentencing', 'appeal', 'cassation', 'other'] as const;
export const HEARING_OUTCOMES = ['scheduled', 'held', 'adjourned', 'concluded'] as const;
export const PROTECTIVE_MEASURES = [
  'anonymity', 'video_link', 'closed_hearing', 'no_face_to_face', 'screen', 'voice_or_image_distortion', 'support_person', 'prior_deposition',
  'witness_protection', 'other',
] as const;
export const VERDICT_OUTCOMES = ['convicted', 'acquitted', 'discontinued', 'returned_to_prosecutor'] as const;
export const APPEAL_STATUSES = ['filed', 'upheld', 'modified', 'overturned', 'withdrawn'] as const;
export const COMPENSATION_STATUSES = ['claimed', 'awarded', 'refused', 'partly_paid', 'paid'] as const;
