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
    message = N_("Voucher code has {length} digits but needs 6. Check the code on the voucher.")


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
    message = N_("First name is too long: at most {maximum} characters.")


class LastNameTooLong(DomainError):
    code = "holder.last_name_too_long"
    field = "last_name"
    message = N_("Last name is too long: at most {maximum} characters.")


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
        "at most {available} more. Hand out open vouchers first or lower the number."
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
    message = N_("Date of birth gives an age over {maximum} years. Check the year.")


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
