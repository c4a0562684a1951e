// Stable vocabulary ids of the backend (crates/model/src/vocab.rs).
export const STAGES = [
  'intake', 'initial_response', 'identification', 'referral', 'planning', 'interviews', 'evidence',
  'financial', 'international', 'prosecution_review', 'trial_protection', 'assistance', 'closure',
] as const;
export const CASE_STATUSES = ['active', 'follow_up', 'closed', 'closed_referred'] as const;
export const ROLES = ['investigator', 'prosecutor', 'supervisor', 'admin'] as const;
export const JURISDICTIONS = ['KZ', 'KG', 'TJ', 'TM', 'UZ'] as const;
export const PERSON_KINDS = ['victim', 'suspect', 'witness'] as const;
// The vocabularies that stand for HTCDS 2.0 fields hold its values. A
// `LEGACY_*` list holds values of an earlier version with no HTCDS
// equivalent: shown and kept where a record holds them, never offered anew.
export const GENDERS = [
  'feminine', 'masculine', 'transgender_feminine', 'transgender_masculine', 'non_conforming', 'non_specified_unknown',
] as const;
export const LEGACY_GENDERS = ['other'] as const;
export const EXPLOITATION = [
  'forced_labour', 'sexual_exploitation', 'child_labour', 'forced_marriage', 'servitude',
  'forced_military_by_non_state_actors', 'organ_removal', 'forced_begging', 'forced_adoption', 'surrogacy', 'other',
] as const;
export const CONTROL_METHODS = [
  'physical_threats', 'threats_law_enforcement', 'threatens_children_family', 'debt_bondage', 'false_promises',
  'physical_abuse', 'sexual_abuse', 'takes_earnings', 'restricts_financial_access', 'restricts_medical_care',
  'withholds_necessities', 'psychological_abuse', 'psychoactive_substance', 'excessive_working_hours',
  'withholds_documents', 'other',
] as const;
export const LEGACY_CONTROL_METHODS = ['restricts_movement'] as const;
export const TRAFFICKING_STATUSES = [
  'possible_victim_of_trafficking', 'actual_victim_of_trafficking', 'not_a_victim_of_trafficking',
] as const;
export const STATUS_DECIDED_BY = [
  'police', 'ngo', 'court_or_prosecution', 'non_police_governmental_organization', 'other',
] as const;
export const RECRUITMENT_METHODS = [
  'at_a_place_of_business', 'at_an_educational_institution', 'at_work', 'through_online_social_networks',
  'through_an_online_advertisement', 'through_a_television_advert', 'through_a_newspaper_advert',
  'through_family_or_family_events', 'through_friends_or_social_events', 'other',
] as const;
export const LEGACY_RECRUITMENT_METHODS = ['print_or_broadcast_advertisement', 'intermediary'] as const;
export const PERPETRATOR_ROLES = [
  'travelling_partner', 'transporter', 'recruiter_or_intermediary', 'broker_travel_agent', 'transferred_individual',
  'harboured_individual', 'sold_individual', 'bought_individual', 'received_individual', 'controlled_individual',
  'smuggler', 'abuser', 'kidnapper', 'exploiter', 'other',
] as const;
export const LEGACY_PERPETRATOR_ROLES = ['financier'] as const;

/** The values to offer for a field: the current ones, and any legacy value
 *  the record holds now (so an edit keeps it, and shows it). */
export function offered(current: readonly string[], legacy: readonly string[], held: readonly (string | null | undefined)[]): string[] {
  return [...current, ...legacy.filter((x) => held.includes(x))];
}
export const FORCED_LABOUR_INDUSTRIES = [
  'a_agriculture_forestry_and_fishing', 'b_mining_and_quarrying', 'c_manufacturing',
  'd_electricity_gas_steam_and_air_conditioning_supply', 'e_water_supply_sewerage_waste_management_and_remediation_activities',
  'f_construction', 'g_wholesale_and_retail_trade_repair_of_motor_vehicles_and_motorcycles', 'h_transportation_and_storage',
  'i_accommodation_and_food_service_activities', 'j_information_and_communication', 'k_financial_and_insurance_activities',
  'l_real_estate_activities', 'm_professional_scientific_and_technical_activities',
  'n_administrative_and_support_service_activities', 'o_public_administration_and_defence_compulsory_social_security',
  'p_education', 'q_human_health_and_social_work_activities', 'r_arts_entertainment_and_recreation',
  's_other_service_activities', 't_activities_of_households_as_employers',
  'u_activities_of_extraterritorial_organizations_and_bodies',
] as const;
export const RELATIONSHIPS_TO_TRAFFICKER = ['familial', 'acquainted', 'unaquainted'] as const;
export const ORGANISATION_TYPES = [
  'police', 'ngo', 'shelter', 'health', 'social_services', 'legal', 'government', 'international_organisation', 'other',
] as const;
export const REFERRAL_REASONS = ['additional_services_required', 'migration_or_change_of_location', 'other'] as const;
export const REFERRAL_STATUSES = ['proposed', 'accepted', 'refused', 'completed'] as const;
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
/** HTCDS types of sexual exploitation (`vic_TypeOfSexExploitation`). */
export const SEX_EXPLOITATION_TYPES = ['prostitution', 'pornography', 'remote_interactive_services', 'private_sexual_services'] as const;
/** HTCDS websites and apps (recruitment and exploitation). */
export const WEBSITES_AND_APPS = [
  'facebook', 'instagram', 'whatsapp', 'telegram', 'facebook_messenger', 'viber', 'snapchat', 'line', '4sale',
  'wechat', 'qq', 'qzone', 'tiktok', 'twitter', 'other',
] as const;
/** A stateless person's citizenship (ICAO's code; the core also takes "stateless"). */
export const STATELESS = 'XXA';
// A victim's support plan (HTCDS 2.0 `spl_Type`), reflection period and return.
export const SUPPORT_TYPES = [
  'education', 'financial', 'health', 'labour_exploitation_rehabilitation', 'legal', 'livelihood', 'rights_based_training',
  'sexual_exploitation_rehabilitation', 'social_care',
] as const;
export const SUPPORT_STATUSES = ['planned', 'in_progress', 'completed', 'declined', 'interrupted'] as const;
export const RESIDENCE_DECISIONS = ['pending', 'temporary_residence', 'permanent_residence', 'voluntary_return', 'repatriated', 'other'] as const;
export const REINTEGRATION_STATUSES = ['not_started', 'planned', 'in_progress', 'completed', 'interrupted'] as const;
export const FLOW_KINDS = ['account', 'transfer', 'cash_payment', 'informal_transfer', 'crypto_transfer', 'asset'] as const;
/** Kinds held by one party (an account, an asset) rather than moved between two. */
export const HELD_FLOW_KINDS = ['account', 'asset'] as const;
export const FLOW_SOURCES = ['fiu_report', 'bank_records', 'seized_device', 'witness', 'other'] as const;
export const FREEZE_STATUSES = ['not_frozen', 'freeze_requested', 'frozen', 'seized', 'confiscated', 'released'] as const;
