"""Domain errors: each has a stable `code` for tests and logs and a translatable message.

Pages catch `DomainError` and show `error.render(locale)`; nothing else about the error
reaches the user.
"""

from typing import ClassVar

from services.i18n import N_, translate


class DomainError(Exception):
    """Base class of every error a user can cause and correct."""

    code: ClassVar[str] = "error"
    message: ClassVar[str] = N_("Something went wrong. Please try again.")
    # The form field the message is about, so a page can show it next to that field.
    field: ClassVar[str | None] = None

    def __init__(self, **params: object) -> None:
        super().__init__(self.code)
        self.params = params
        # For forms with repeated rows: the 1-based row the error is about.
        self.row: int | None = None

    def render(self, locale: str) -> str:
        """Return the message in `locale` with its parameters filled in."""
        return translate(locale, self.message, **self.params)


class PermissionDenied(DomainError):
    code = "permission.denied"
    message = N_("You are not allowed to do this with your role. Ask an administrator if you need it.")


class NotAuthenticated(DomainError):
    code = "auth.not_authenticated"
    message = N_("Your session has ended. Please log in again.")


class LoginFailed(DomainError):
    code = "auth.login_failed"
    message = N_("E-mail address or password is incorrect. Check both and try again.")


class LoginFieldsMissing(DomainError):
    code = "auth.fields_missing"
    message = N_("E-mail address or password is empty. Fill in both to log in.")


class LoginExpired(DomainError):
    code = "auth.login_expired"
    message = N_("This login link has expired or was already used. Please log in again.")


class EmptyCode(DomainError):
    code = "code.empty"
    field = "code"
    message = N_("Voucher code is empty. Type the 6 digits from the voucher.")


class CodeNotDigits(DomainError):
    code = "code.not_digits"
    field = "code"
    message = N_("Voucher code may only contain digits. Type the 6 digits from the voucher.")


class CodeWrongLength(DomainError):
    code = "code.wrong_length"
    field = "code"
    # Worded without a plural, because {length} may be 1.
    message = N_("Voucher code needs 6 digits, not {length}. Check the code on the voucher.")


class InvalidCode(DomainError):
    code = "code.invalid"
    field = "code"
    message = N_(
        "Invalid code: the check digit does not match, so a digit is probably mistyped. "
        "Compare the code with the voucher."
    )


class UnknownCode(DomainError):
    code = "code.unknown"
    field = "code"
    message = N_("Code {code} is not a known voucher. Compare the code with the voucher.")


class VoucherNotFound(DomainError):
    code = "voucher.not_found"
    message = N_("Voucher not found, or not visible to your organisation.")


class AlreadyRedeemed(DomainError):
    code = "voucher.already_redeemed"
    message = N_("Already redeemed on {when} at {library} by {staff}.")


class VoucherWithdrawn(DomainError):
    code = "voucher.withdrawn"
    message = N_("This voucher was withdrawn on {when}: {reason}. It cannot be redeemed.")


class VoucherExpired(DomainError):
    code = "voucher.expired"
    message = N_("This voucher expired after {last_day}. It cannot be redeemed.")


class VoucherNotIssued(DomainError):
    code = "voucher.not_issued"
    message = N_("This voucher is no longer issued, so it cannot be changed. Reload to see its status.")


class VoucherExpiredUnchangeable(DomainError):
    code = "voucher.expired_unchangeable"
    message = N_("This voucher expired after {last_day}, so it can no longer be changed.")


class NotRedeemed(DomainError):
    code = "voucher.not_redeemed"
    message = N_("This voucher is not redeemed, so there is no redemption to undo.")


class UndoTooLate(DomainError):
    code = "voucher.undo_too_late"
    message = N_("A redemption can only be undone on the day it was made ({day}), so this one stays redeemed.")


class ReasonRequired(DomainError):
    code = "input.reason_required"
    field = "reason"
    message = N_("Reason is missing. Describe in a few words why.")


class FirstNameTooLong(DomainError):
    code = "holder.first_name_too_long"
    field = "first_name"
    message = N_("First name is too long: {length} characters, at most {maximum} are allowed. Shorten it.")


class LastNameTooLong(DomainError):
    code = "holder.last_name_too_long"
    field = "last_name"
    message = N_("Last name is too long: {length} characters, at most {maximum} are allowed. Shorten it.")


class FirstNameInvalid(DomainError):
    code = "holder.first_name_invalid"
    field = "first_name"
    message = N_("First name contains an invisible control character. Type the name again instead of pasting it.")


class LastNameInvalid(DomainError):
    code = "holder.last_name_invalid"
    field = "last_name"
    message = N_("Last name contains an invisible control character. Type the name again instead of pasting it.")


class ReasonTooLong(DomainError):
    code = "input.reason_too_long"
    field = "reason"
    message = N_("Reason is too long: at most {maximum} characters.")


class InvalidCount(DomainError):
    code = "vouchers.invalid_count"
    field = "count"
    message = N_("Number of vouchers must be a whole number from 1 to {maximum}.")


class RequestLimitExceeded(DomainError):
    code = "vouchers.request_limit"
    field = "count"
    message = N_("You can create at most {maximum} vouchers at once. Lower the number.")


class OpenLimitReached(DomainError):
    code = "vouchers.open_limit"
    field = "count"
    message = N_(
        "Your organisation has {open} open vouchers of the {maximum} allowed, so you can create "
        "at most {available} more now. Lower the number."
    )


class OpenLimitFull(OpenLimitReached):
    """The open-voucher limit leaves room for no voucher at all."""

    code = "vouchers.open_limit_full"
    message = N_(
        "Your organisation has {open} open vouchers, the maximum of {maximum}, so you cannot create more now. "
        "Wait until open vouchers are redeemed, withdraw unused ones, or ask an administrator to raise the maximum."
    )


class LibraryRequired(DomainError):
    code = "redeem.library_required"
    field = "library"
    message = N_("Choose the library where the voucher is redeemed.")


class InvalidDate(DomainError):
    code = "date.invalid_format"
    field = "birth_date"
    message = N_('Date of birth "{value}" is not a date. Type it as dd-mm-yyyy, for example 07-03-1985.')


class ImpossibleDate(DomainError):
    code = "date.impossible"
    field = "birth_date"
    message = N_('Date of birth "{value}" does not exist. Check the day and the month.')


class FutureDate(DomainError):
    code = "date.future"
    field = "birth_date"
    message = N_("Date of birth lies in the future. Check the year.")


class ImplausibleAge(DomainError):
    code = "date.implausible_age"
    field = "birth_date"
    message = N_("Date of birth gives an age of {age} years, but it must be from 0 to {maximum} years. Check the year.")


class OrganisationRequired(DomainError):
    code = "organisation.required"
    field = "organisation"
    message = N_("Organisation is not chosen. Choose the organisation the vouchers are for.")


class OrganisationNotFound(DomainError):
    code = "organisation.not_found"
    field = "organisation"
    message = N_("Organisation not found or inactive. Choose another organisation.")


class InvalidPeriod(DomainError):
    code = "filter.invalid_period"
    field = "period"
    message = N_("Period: the start date lies after the end date. Swap the dates or change one.")


class SearchTooLong(DomainError):
    code = "filter.search_too_long"
    field = "search"
    message = N_("Search text is too long: at most {maximum} characters. Type part of a name or code.")


class ImpossibleFilterDate(DomainError):
    code = "filter.impossible_date"
    field = "period"
    message = N_('Period date "{value}" does not exist. Check the day and the month.')


class InvalidFilterDate(DomainError):
    code = "filter.invalid_date"
    field = "period"
    message = N_('Period date "{value}" is not a date. Type it as dd-mm-yyyy, for example 01-09-2026.')


class ConcurrentChange(DomainError):
    code = "voucher.concurrent_change"
    message = N_("This voucher was changed at another desk at the same moment. Check the code again.")


class CodeSpaceExhausted(DomainError):
    code = "vouchers.code_space_exhausted"
    message = N_("No unused voucher codes are left. Ask an administrator; the code format has to change.")


class NoTariff(DomainError):
    code = "reimbursement.no_tariff"
    message = N_(
        "No tariff applies to a voucher redeemed on {day}: the first tariff starts on {first}. "
        "Add an earlier tariff to the setting BIEBVOUCHER_TARIFFS or choose a later period."
    )


class PeriodRequired(DomainError):
    code = "reimbursement.period_required"
    field = "period"
    message = N_("Period is incomplete. Fill in both the start date and the end date.")


class LibraryNotFound(DomainError):
    code = "reimbursement.library_not_found"
    field = "library"
    message = N_("Library not found. Choose a library from the list, or all libraries.")


class NothingToReimburse(DomainError):
    code = "reimbursement.nothing_to_reimburse"
    message = N_("No redeemed vouchers wait for reimbursement in this period. Choose another period or library.")


class BatchChanged(DomainError):
    code = "reimbursement.batch_changed"
    message = N_(
        "{changed} of the {expected} vouchers were changed or reimbursed elsewhere since you looked, "
        "so nothing was marked. Show the vouchers again and check the new totals."
    )


class BatchNotFound(DomainError):
    code = "reimbursement.batch_not_found"
    message = N_("Reimbursement batch not found. Reload the page.")


class BatchAlreadyPaid(DomainError):
    code = "reimbursement.batch_paid"
    message = N_("Batch {number} is confirmed as paid, so it can no longer be reopened.")


class BatchNotOpen(DomainError):
    code = "reimbursement.batch_not_open"
    message = N_("Batch {number} is no longer open: it was reopened or confirmed as paid. Reload the page.")


class BatchReopened(DomainError):
    code = "reimbursement.batch_reopened"
    message = N_(
        "Batch {number} was reopened, so it has no statement. "
        "Its vouchers have the status Redeemed again and wait for a new batch."
    )


class OrganisationNameMissing(DomainError):
    code = "organisation.name_missing"
    field = "name"
    message = N_("Name is empty. Type the name of the organisation.")


class OrganisationNameTooLong(DomainError):
    code = "organisation.name_too_long"


class MailNotFound(DomainError):
    code = "mail.not_found"
    message = N_("This mail is no longer in the outbox. Reload the list.")


class MailNotFailed(DomainError):
    code = "mail.not_failed"
    message = N_(
        "This mail has not failed: it is queued or already sent, and queued mail is retried by itself. Reload the list."
    )


class EmailMissing(DomainError):
    code = "email.missing"
    field = "email"
    message = N_("E-mail address is empty. Type the e-mail address, for example name@example.nl.")


class InvalidEmail(DomainError):
    code = "email.invalid"
    field = "email"
    message = N_('E-mail address "{value}" is not valid. Type it as name@example.nl, without spaces.')


class EmailAlreadyRegistered(DomainError):
    code = "email.already_registered"
    field = "email"
    message = N_("{email} already has an account, so it needs no invitation. Look the user up in the user list.")


class InvitationAlreadyOpen(DomainError):
    code = "invitation.already_open"
    field = "email"
    message = N_(
        "{email} already has an open invitation, sent on {when}. Resend or revoke it in the list of open invitations."
    )


class RoleRequired(DomainError):
    code = "invitation.role_required"
    field = "role"
    message = N_("Role is not chosen. Choose the role the new user gets.")


class RoleNotForOrganisation(DomainError):
    code = "invitation.role_not_for_organisation"
    field = "role"
    message = N_(
        "Library staff must belong to a library, and {organisation} is not one. Choose a library or another role."
    )


class InvitationNotFound(DomainError):
    code = "invitation.not_found"
    message = N_(
        "This invitation link is not valid. A newer invitation may have replaced it. "
        "Use the link in the newest invitation mail, or ask the administrator who invited you for a new one."
    )


class InvitationExpired(DomainError):
    code = "invitation.expired"
    message = N_("This invitation expired on {when}. Ask the administrator who invited you to send it again.")


class InvitationRevoked(DomainError):
    code = "invitation.revoked"
    message = N_("This invitation was revoked by an administrator. Ask an administrator if you still need an account.")


class InvitationUsed(DomainError):
    code = "invitation.used"
    message = N_("This invitation was already used to create an account. Log in with your e-mail address and password.")


class InvitationClosed(DomainError):
    code = "invitation.closed"
    message = N_("This invitation was already used or revoked, so it cannot be changed. Reload the list.")


class NoLinkOpened(DomainError):
    code = "link.not_opened"
    message = N_("No link from an e-mail was opened in this browser. Open the link in the e-mail again.")


class NameMissing(DomainError):
    code = "name.missing"
    field = "name"
    message = N_("Name is empty. Type your first and last name.")


class NameTooLong(DomainError):
    code = "name.too_long"
    field = "name"
    message = N_("Name is too long: at most {maximum} characters.")


class OrganisationNameTaken(DomainError):
    code = "organisation.name_taken"
    field = "name"
    message = N_('An organisation named "{name}" already exists. Choose another name.')


class InvalidOrganisationKind(DomainError):
    code = "organisation.invalid_kind"
    field = "kind"
    message = N_("Kind is not chosen. Choose library or intermediary organisation.")


class InvalidOpenVoucherLimit(DomainError):
    code = "organisation.invalid_open_limit"
    field = "max_open_vouchers"
    message = N_(
        '"{value}" is not a valid maximum of open vouchers. Type a whole number from 0 to {maximum}, '
        "or leave it empty for the standard maximum."
    )


class OwnOrganisationDeactivation(DomainError):
    code = "organisation.deactivate_own"
    message = N_("You cannot deactivate your own organisation, because that would end your own access.")


class UserNotFound(DomainError):
    code = "user.not_found"
    message = N_("User not found. Reload the page to see the current list.")


class InvalidRole(DomainError):
    code = "user.invalid_role"
    field = "role"
    message = N_("Role is not chosen. Choose intermediary, library staff or administrator.")


class RoleNeedsLibrary(DomainError):
    code = "user.role_needs_library"
    field = "organisation"
    message = N_('Library staff must belong to a library, and "{organisation}" is not one. Choose a library.')


class RoleNeedsIntermediary(DomainError):
    code = "user.role_needs_intermediary"
    field = "organisation"
    message = N_(
        'Intermediaries must belong to an intermediary organisation, and "{organisation}" is a library. '
        "Choose an intermediary organisation."
    )


class RoleNeedsFund(DomainError):
    code = "user.role_needs_fund"
    field = "organisation"
    message = N_('Administrators belong to the fund, "{fund}". Choose "{fund}" as organisation or another role.')


class SelfDeactivation(DomainError):
    code = "user.deactivate_self"
    message = N_("You cannot deactivate your own account. Ask another administrator to do it.")


class SelfDemotion(DomainError):
    code = "user.demote_self"
    field = "role"
    message = N_(
        "You cannot change your own role or organisation, because you would lose administrator access. "
        "Ask another administrator to do it."
    )


class PasswordMissing(DomainError):
    code = "password.missing"
    field = "password"
    message = N_("Password is empty. Choose a password of at least {minimum} characters.")


class PasswordTooShort(DomainError):
    code = "password.too_short"
    field = "password"
    message = N_(
        "Password has {length} characters but needs at least {minimum}. "
        "A sentence of a few words is long enough and easy to remember."
    )


class PasswordTooLong(DomainError):
    code = "password.too_long"
    field = "password"
    message = N_("Password is too long: at most {maximum} characters.")


class PasswordCommon(DomainError):
    code = "password.common"
    field = "password"
    message = N_("Password is on a list of often used passwords, which are guessed first. Choose another password.")


class PasswordFromContext(DomainError):
    code = "password.context"
    field = "password"
    message = N_(
        'Password is mostly made of "{word}", which others can guess from your name, e-mail address, '
        "organisation or this site. Add words of your own."
    )


class PasswordRepeatMissing(DomainError):
    code = "password.repeat_missing"
    field = "password_repeat"
    message = N_("Repeat password is empty. Type the same password again.")


class PasswordsDiffer(DomainError):
    code = "password.repeat_differs"
    field = "password_repeat"
    message = N_("Repeat password differs from the password. Type the same password in both fields.")


class CurrentPasswordWrong(DomainError):
    code = "password.current_wrong"
    field = "current_password"
    message = N_("Current password is incorrect. Type the password you log in with now.")


class ResetLinkInvalid(DomainError):
    code = "reset.invalid"
    message = N_("This password reset link is not valid. A newer link may have replaced it. Request a new link.")


class ResetLinkExpired(DomainError):
    code = "reset.expired"
    message = N_("This password reset link expired on {when}. Request a new link.")


class ResetLinkUsed(DomainError):
    code = "reset.used"
    message = N_("This password reset link was already used. Log in with your new password, or request a new link.")


class InviteeOrganisationRequired(DomainError):
    code = "invitation.organisation_required"
    field = "organisation"
    message = N_("Organisation is not chosen. Choose the organisation the new user belongs to.")


class AccountAlreadyExists(DomainError):
    code = "registration.account_exists"
    message = N_('An account with {email} already exists. Log in, or use "Forgot your password?" on the login page.')


class CurrentPasswordMissing(DomainError):
    code = "password.current_missing"
    field = "current_password"
    message = N_("Current password is empty. Type the password you log in with now.")


class NothingSelected(DomainError):
    code = "download.nothing_selected"
    message = N_("No vouchers are selected. Tick the vouchers you want to download in the overview.")


class TooManySelected(DomainError):
    code = "download.too_many"
    message = N_(
        "{count} vouchers are selected, but one PDF holds at most {maximum}. Select fewer and download them in parts."
    )


class VouchersNotVisible(DomainError):
    code = "download.not_visible"
    message = N_(
        "Selected vouchers not found or not visible to your organisation: {count}. "
        "Nothing was downloaded. Reload the overview and select again."
    )


class VouchersNotPrintable(DomainError):
    code = "download.not_issued"
    message = N_(
        "Selected vouchers that are no longer issued (redeemed, withdrawn or expired): {count}. "
        "Only issued vouchers can be printed, so deselect the others and download again."
    )


class ResidentNameRequired(DomainError):
    code = "privacy.name_required"
    field = "name"
    message = N_("Name is missing. Type the resident's name, or part of it, to find their vouchers.")


class ResidentNameTooLong(DomainError):
    code = "privacy.name_too_long"
    field = "name"
    message = N_("Name is too long: {length} characters, at most {maximum} are allowed. Shorten it.")


class ResidentNameInvalid(DomainError):
    code = "privacy.name_invalid"
    field = "name"
    message = N_("Name contains an invisible control character. Type the name again instead of pasting it.")


class NoVouchersSelected(DomainError):
    code = "privacy.nothing_selected"
    message = N_("No vouchers are selected. Tick the vouchers of this resident first.")


class NameInReason(DomainError):
    code = "privacy.name_in_reason"
    field = "reason"
    message = N_(
        "Reason contains the resident's name, which the audit trail must not keep. "
        "Describe the request without the name, for example: request of the resident by e-mail."
    )


class DatabaseUnavailable(DomainError):
    code = "database.unavailable"
    message = N_("The database is not reachable right now. Try again in a minute.")


class LoginAttemptExpired(DomainError):
    code = "auth.attempt_expired"
    message = N_("This login has expired. Please log in again with your e-mail address and password.")


class LoginCodeMissing(DomainError):
    code = "auth.login_code_missing"
    field = "login_code"
    message = N_("Verification code is empty. Type the 6 digits from the e-mail.")


class LoginCodeMalformed(DomainError):
    code = "auth.login_code_malformed"
    field = "login_code"
    message = N_("Verification code must be 6 digits. Type the code from the e-mail.")


class WrongLoginCode(DomainError):
    code = "auth.login_code_wrong"
    field = "login_code"
    message = N_("Verification code is incorrect. Check the code in the newest e-mail and type it again.")


class LoginCodeExpired(DomainError):
    code = "auth.login_code_expired"
    field = "login_code"
    message = N_("Verification code has expired: a code works for {minutes} minutes. Request a new code.")


class LoginCodeBlocked(DomainError):
    code = "auth.login_code_blocked"
    field = "login_code"
    message = N_("Verification code was typed wrong {count} times, so it no longer works. Request a new code.")


class LoginCodeLimit(DomainError):
    code = "auth.login_code_limit"
    message = N_("You have requested {count} codes in the last hour, the maximum. Try again after {retry_at}.")


class ResendTooSoon(DomainError):
    code = "auth.resend_too_soon"
    message = N_("A new code can be requested {seconds} seconds after the previous one. Wait a moment.")


class AccountLocked(DomainError):
    code = "auth.account_locked"
    message = N_("Too many failed logins for this e-mail address. Try again after {locked_until}.")


class ClientThrottled(DomainError):
    code = "auth.client_throttled"
    message = N_("Too many failed logins from your network. Try again after {locked_until}.")


class ConductNotAccepted(DomainError):
    code = "conduct.not_accepted"
    message = N_("Accept the code of conduct before you continue.")


class ConductVersionOutdated(DomainError):
    code = "conduct.version_outdated"
    message = N_("A newer version of the code of conduct has been published. Read it and accept that version.")


class ConductTextEmpty(DomainError):
    code = "conduct.text_empty"
    field = "text"
    message = N_("Text of the code of conduct is empty. Write the text before you publish it.")


class ConductTextTooLong(DomainError):
    code = "conduct.text_too_long"
    field = "text"
    message = N_("Text of the code of conduct is too long: at most {maximum} characters.")


class ConductTextUnchanged(DomainError):
    code = "conduct.text_unchanged"
    field = "text"
    message = N_(
        "Text of the code of conduct is the same as the current version {version}. "
        "Change the text before you publish a new version."
    )


class AdministratorExists(DomainError):
    code = "bootstrap.administrator_exists"
    message = N_(
        "This installation already has an active administrator, so no first administrator is added. "
        "Ask that administrator to invite you."
    )


class LocaleUnknown(DomainError):
    code = "locale.unknown"
    field = "locale"
    message = N_("This language is not available. Choose Nederlands or English.")
