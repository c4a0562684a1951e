//! Messages in the chosen language. English error messages come from the
//! errors' `Display`; Russian ones from the catalog below, keyed by the
//! stable error code (every code core, vault, sync and model can return).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("ru") {
            Lang::Ru
        } else {
            Lang::En
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, en: &'a str, ru: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }
}

/// Every error code a command can end with.
#[cfg(test)]
pub const CODES: &[&str] = &[
    "vault.wrong_passphrase",
    "vault.wrong_recovery_code",
    "vault.recovery_code_typo",
    "vault.weak_passphrase",
    "vault.not_a_vault",
    "vault.already_exists",
    "vault.newer_format",
    "vault.in_use",
    "vault.locked",
    "vault.corrupt_record",
    "vault.document_incomplete",
    "vault.attachment_too_large",
    "vault.attachment_hash_mismatch",
    "vault.not_found",
    "vault.disk_full",
    "vault.audit_tampered",
    "vault.integrity_check_failed",
    "vault.insecure_plaintext",
    "vault.invalid_input",
    "vault.io",
    "vault.storage",
    "vault.crypto",
    "sync.not_a_bundle",
    "sync.future_version",
    "sync.truncated",
    "sync.too_large",
    "sync.bad_signature",
    "sync.malformed",
    "sync.wrong_team",
    "sync.no_key",
    "sync.unreadable",
    "sync.old_format",
    "sync.unknown_sender",
    "sync.sender_revoked",
    "sync.not_for_this_device",
    "sync.weak_key",
    "sync.forged_key",
    "sync.untrusted_history",
    "sync.device_copied",
    "sync.denied",
    "sync.not_found",
    "sync.random",
    "sync.document",
    "sync.replayed_frame",
    "sync.not_quarantined",
    "sync.compressed_change",
    "sync.change_too_large",
    "sync.quota_exceeded",
    "policy.denied",
    "case.false_attribution",
    "case.invalid",
    "case.not_found",
    "case.duplicate_id",
    "checklist.reason_required",
    "checklist.unknown_template",
    "stage.gate_not_ready",
    "case.no_change",
    "case.document",
    "template.parse",
    "template.invalid",
    "core.no_team",
    "core.already_in_team",
    "core.not_found",
    "core.ambiguous",
    "core.invalid",
    "core.denied",
    "core.file",
    "cli.no_passphrase",
    "cli.passphrase_mismatch",
    "cli.failure",
];

/// The Russian message for an error code, if the catalog has one.
pub fn russian(code: &str) -> Option<&'static str> {
    Some(match code {
        "vault.wrong_passphrase" => "Неверная парольная фраза.",
        "vault.wrong_recovery_code" => "Неверный код восстановления.",
        "vault.recovery_code_typo" => {
            "В коде восстановления опечатка. Сверьте каждую группу с напечатанным кодом."
        }
        "vault.weak_passphrase" => {
            "Эту парольную фразу нельзя использовать: она слишком простая или короткая."
        }
        "vault.not_a_vault" => {
            "В этой папке нет хранилища Caravan, или файл не является хранилищем."
        }
        "vault.already_exists" => "В этой папке уже есть хранилище; выберите пустую папку.",
        "vault.newer_format" => {
            "Хранилище создано более новой версией Caravan. Обновите программу."
        }
        "vault.in_use" => {
            "Хранилище открыто в другом окне или процессе Caravan. Закройте его и повторите."
        }
        "vault.locked" => "Хранилище заблокировано; сначала разблокируйте его.",
        "vault.corrupt_record" => {
            "Запись в хранилище повреждена; остальные данные доступны. Восстановите её с другого устройства."
        }
        "vault.document_incomplete" => {
            "Документ дела в хранилище неполон; восстановите его с другого устройства."
        }
        "vault.attachment_too_large" => "Файл слишком велик для вложения.",
        "vault.attachment_hash_mismatch" => {
            "Контрольная сумма вложения не совпадает: файл повреждён или изменён."
        }
        "vault.not_found" => "Запрошенная запись в хранилище не найдена.",
        "vault.disk_full" => "На диске нет места. Освободите место и повторите.",
        "vault.audit_tampered" => "Журнал аудита был изменён.",
        "vault.integrity_check_failed" => {
            "База данных хранилища не прошла проверку целостности. Восстановите из резервной копии."
        }
        "vault.insecure_plaintext" => "Сборка без шифрования не может открыть настоящее хранилище.",
        "vault.invalid_input" => "Недопустимые входные данные.",
        "vault.io" => "Ошибка чтения или записи файла.",
        "vault.storage" => "Ошибка хранилища.",
        "vault.crypto" => "Внутренняя ошибка криптографии.",
        "sync.not_a_bundle" => "Этот файл не является пакетом изменений Caravan.",
        "sync.future_version" => "Пакет создан более новой версией Caravan. Обновите программу.",
        "sync.truncated" => "Пакет обрезан: файл скопирован не полностью.",
        "sync.too_large" => "Пакет превышает допустимый размер.",
        "sync.bad_signature" => "Подпись не прошла проверку: данные повреждены или подделаны.",
        "sync.malformed" => "Пакет повреждён.",
        "sync.wrong_team" => {
            "Пакет предназначен для другой команды. Сверьте отпечаток команды с экраном администратора."
        }
        "sync.no_key" => "На этом устройстве нет ключа команды, которым зашифрован пакет.",
        "sync.unreadable" => {
            "На этом устройстве нет ключа, которым открывается этот пакет: он запечатан для других устройств, или устройство пропустило смену ключа команды. Попросите отправителя сделать пакет для вас или администратора — прислать последние изменения команды."
        }
        "sync.old_format" => {
            "Этот пакет создан старой версией Caravan, которая шифровала все дела ключом команды; такие пакеты больше не читаются. Обновите Caravan на устройстве отправителя и отправьте снова."
        }
        "sync.unknown_sender" => "Отправитель пакета не входит в команду.",
        "sync.sender_revoked" => "Устройство отправителя отозвано.",
        "sync.weak_key" => {
            "Ключ устройства небезопасен (точка малого порядка): Caravan таких ключей не создаёт — запросите новый запрос на вступление."
        }
        "sync.not_for_this_device" => "Пакет предназначен другому устройству.",
        "sync.forged_key" => {
            "Пакет несёт ключ команды, который не выдавал ни один администратор: программа отправителя изменена. Ничего не импортировано; сообщите администратору."
        }
        "sync.device_copied" => {
            "Другая копия этого устройства сделала изменения, которых нет в этой копии (хранилище восстановлено из резервной копии или скопировано, либо ключ устройства похищен). Чтобы у устройства была одна история, эта копия больше не вносит изменений: попросите администратора отозвать устройство и подключить его заново."
        }
        "sync.untrusted_history" => {
            "История команды в пакете присоединения не проходит проверку (подделанная или неподписанная запись); присоединение отменено. Попросите у администратора новый пакет и сверьте отпечаток команды."
        }
        "sync.denied" => "Это действие не разрешено вашей ролью.",
        "sync.not_found" => "Не найдено.",
        "sync.random" => "Системный генератор случайных чисел недоступен.",
        "sync.document" => "Документ не удалось прочитать или записать.",
        "sync.replayed_frame" => {
            "Кадр сеанса повторён, переставлен или потерян; начните сеанс заново."
        }
        "sync.not_quarantined" => {
            "Этого изменения нет в карантине на этом устройстве: возможно, его уже выпустили или удалили."
        }
        "sync.compressed_change" => {
            "Изменение пришло в сжатом виде; Caravan так не отправляет (изменённая программа). Оно не прочитано, остальное принято."
        }
        "sync.change_too_large" => {
            "Изменение содержит больше операций, чем читается за один раз; оно не прочитано. Остальное принято; повторите обмен, чтобы получить остальное."
        }
        "sync.quota_exceeded" => {
            "У устройства уже слишком много отложенных изменений на этом устройстве; новые не сохранены. Остальное принято."
        }
        "policy.denied" => "Ваша роль не позволяет это изменение.",
        "case.false_attribution" => {
            "Запись должна называть вас автором, вашу роль и текущее время; кто и когда её сделал, потом не меняется. Проверьте часы этого устройства."
        }
        "case.invalid" => "Недопустимое значение.",
        "case.not_found" => "Запись в деле не найдена.",
        "case.duplicate_id" => "Запись с таким идентификатором уже есть.",
        "checklist.reason_required" => "Укажите причину, по которой пункт неприменим.",
        "checklist.unknown_template" => {
            "Этот контрольный список создан по более новой версии шаблона; обновите Caravan, чтобы работать с ним."
        }
        "stage.gate_not_ready" => {
            "Этап нельзя закрыть: не выполнены обязательные пункты или нет подписей."
        }
        "case.no_change" => "Ничего не изменилось.",
        "case.document" => "Документ дела повреждён или из неизвестной версии.",
        "template.parse" => "Файл шаблона не удалось прочитать.",
        "template.invalid" => "Шаблон контрольного списка недопустим.",
        "core.no_team" => {
            "Это устройство ещё не в команде. Создайте команду или примите пакет присоединения от администратора."
        }
        "core.already_in_team" => "Это устройство уже входит в команду.",
        "core.not_found" => "Не найдено",
        "core.ambiguous" => "Подходит больше одного варианта; введите больше символов",
        "core.invalid" => "Недопустимое значение",
        "core.denied" => "Ваша роль не позволяет это действие",
        "core.file" => "Не удалось прочитать или записать файл. Проверьте путь и свободное место",
        "cli.no_passphrase" => {
            "Нужна парольная фраза: задайте CARAVAN_PASSPHRASE, --passphrase-file или запустите в терминале."
        }
        "cli.passphrase_mismatch" => "Парольные фразы не совпадают.",
        "cli.failure" => "Ошибка.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_russian_message() {
        for c in CODES {
            assert!(russian(c).is_some(), "{c}");
        }
    }
}
