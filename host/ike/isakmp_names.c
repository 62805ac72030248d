/*
 * Names of ISAKMP enum values for log lines, and the error filler shared by
 * the codec's decoders.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ike/isakmp.h"

struct name {
	unsigned value;
	const char *name;
};

static const char *lookup(const struct name *t, size_t n, unsigned v, const char *unknown)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return unknown;
}

#define LOOKUP(table, v, unknown) lookup(table, sizeof(table) / sizeof(table[0]), v, unknown)

static const struct name exchanges[] = {
	{ ISAKMP_EXCH_NONE, "NONE" },
	{ ISAKMP_EXCH_BASE, "BASE" },
	{ ISAKMP_EXCH_IDPROT, "ID_PROT" },
	{ ISAKMP_EXCH_AUTH_ONLY, "AUTH_ONLY" },
	{ ISAKMP_EXCH_AGGRESSIVE, "AGGRESSIVE" },
	{ ISAKMP_EXCH_INFO, "INFORMATIONAL" },
	{ ISAKMP_EXCH_TRANSACTION, "TRANSACTION" },
	{ ISAKMP_EXCH_QUICK, "QUICK_MODE" },
	{ ISAKMP_EXCH_NEW_GROUP, "NEW_GROUP" },
};

static const struct name payloads[] = {
	{ ISAKMP_PT_NONE, "NONE" },
	{ ISAKMP_PT_SA, "SA" },
	{ ISAKMP_PT_PROPOSAL, "PROPOSAL" },
	{ ISAKMP_PT_TRANSFORM, "TRANSFORM" },
	{ ISAKMP_PT_KE, "KE" },
	{ ISAKMP_PT_ID, "ID" },
	{ ISAKMP_PT_CERT, "CERT" },
	{ ISAKMP_PT_CR, "CR" },
	{ ISAKMP_PT_HASH, "HASH" },
	{ ISAKMP_PT_SIG, "SIG" },
	{ ISAKMP_PT_NONCE, "NONCE" },
	{ ISAKMP_PT_NOTIFY, "NOTIFY" },
	{ ISAKMP_PT_DELETE, "DELETE" },
	{ ISAKMP_PT_VID, "VID" },
	{ ISAKMP_PT_NAT_D, "NAT-D" },
	{ ISAKMP_PT_NAT_OA, "NAT-OA" },
};

static const struct name notifies[] = {
	{ ISAKMP_N_INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE" },
	{ ISAKMP_N_DOI_NOT_SUPPORTED, "DOI-NOT-SUPPORTED" },
	{ ISAKMP_N_SITUATION_NOT_SUPPORTED, "SITUATION-NOT-SUPPORTED" },
	{ ISAKMP_N_INVALID_COOKIE, "INVALID-COOKIE" },
	{ ISAKMP_N_INVALID_MAJOR_VERSION, "INVALID-MAJOR-VERSION" },
	{ ISAKMP_N_INVALID_MINOR_VERSION, "INVALID-MINOR-VERSION" },
	{ ISAKMP_N_INVALID_EXCHANGE_TYPE, "INVALID-EXCHANGE-TYPE" },
	{ ISAKMP_N_INVALID_FLAGS, "INVALID-FLAGS" },
	{ ISAKMP_N_INVALID_MESSAGE_ID, "INVALID-MESSAGE-ID" },
	{ ISAKMP_N_INVALID_PROTOCOL_ID, "INVALID-PROTOCOL-ID" },
	{ ISAKMP_N_INVALID_SPI, "INVALID-SPI" },
	{ ISAKMP_N_INVALID_TRANSFORM_ID, "INVALID-TRANSFORM-ID" },
	{ ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED" },
	{ ISAKMP_N_NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN" },
	{ ISAKMP_N_BAD_PROPOSAL_SYNTAX, "BAD-PROPOSAL-SYNTAX" },
	{ ISAKMP_N_PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED" },
	{ ISAKMP_N_INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION" },
	{ ISAKMP_N_INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION" },
	{ ISAKMP_N_INVALID_CERT_ENCODING, "INVALID-CERT-ENCODING" },
	{ ISAKMP_N_INVALID_CERTIFICATE, "INVALID-CERTIFICATE" },
	{ ISAKMP_N_CERT_TYPE_UNSUPPORTED, "CERT-TYPE-UNSUPPORTED" },
	{ ISAKMP_N_INVALID_CERT_AUTHORITY, "INVALID-CERT-AUTHORITY" },
	{ ISAKMP_N_INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION" },
	{ ISAKMP_N_AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED" },
	{ ISAKMP_N_INVALID_SIGNATURE, "INVALID-SIGNATURE" },
	{ ISAKMP_N_ADDRESS_NOTIFICATION, "ADDRESS-NOTIFICATION" },
	{ ISAKMP_N_NOTIFY_SA_LIFETIME, "NOTIFY-SA-LIFETIME" },
	{ ISAKMP_N_CERTIFICATE_UNAVAILABLE, "CERTIFICATE-UNAVAILABLE" },
	{ ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE, "UNSUPPORTED-EXCHANGE-TYPE" },
	{ ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, "UNEQUAL-PAYLOAD-LENGTHS" },
	{ ISAKMP_N_CONNECTED, "CONNECTED" },
	{ ISAKMP_N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME" },
	{ ISAKMP_N_REPLAY_STATUS, "REPLAY-STATUS" },
	{ ISAKMP_N_INITIAL_CONTACT, "INITIAL-CONTACT" },
	{ ISAKMP_N_DPD_R_U_THERE, "R-U-THERE" },
	{ ISAKMP_N_DPD_R_U_THERE_ACK, "R-U-THERE-ACK" },
};

static const struct name protos[] = {
	{ ISAKMP_PROTO_RESERVED, "RESERVED" },
	{ ISAKMP_PROTO_ISAKMP, "ISAKMP" },
	{ ISAKMP_PROTO_AH, "AH" },
	{ ISAKMP_PROTO_ESP, "ESP" },
	{ ISAKMP_PROTO_IPCOMP, "IPCOMP" },
};

static const struct name id_types[] = {
	{ ISAKMP_ID_IPV4_ADDR, "ID_IPV4_ADDR" },
	{ ISAKMP_ID_FQDN, "ID_FQDN" },
	{ ISAKMP_ID_USER_FQDN, "ID_USER_FQDN" },
	{ ISAKMP_ID_IPV4_ADDR_SUBNET, "ID_IPV4_ADDR_SUBNET" },
	{ ISAKMP_ID_IPV6_ADDR, "ID_IPV6_ADDR" },
	{ ISAKMP_ID_IPV6_ADDR_SUBNET, "ID_IPV6_ADDR_SUBNET" },
	{ ISAKMP_ID_IPV4_ADDR_RANGE, "ID_IPV4_ADDR_RANGE" },
	{ ISAKMP_ID_IPV6_ADDR_RANGE, "ID_IPV6_ADDR_RANGE" },
	{ ISAKMP_ID_DER_ASN1_DN, "ID_DER_ASN1_DN" },
	{ ISAKMP_ID_DER_ASN1_GN, "ID_DER_ASN1_GN" },
	{ ISAKMP_ID_KEY_ID, "ID_KEY_ID" },
};

const char *isakmp_exchange_name(unsigned exch)
{
	return LOOKUP(exchanges, exch, "UNKNOWN-EXCHANGE");
}

const char *isakmp_payload_name(unsigned type)
{
	return LOOKUP(payloads, type, "UNKNOWN-PAYLOAD");
}

const char *isakmp_notify_name(unsigned type)
{
	const char *n = LOOKUP(notifies, type, NULL);

	if (n)
		return n;
	if (type >= 1 && type <= ISAKMP_N_ERROR_MAX)
		return "UNKNOWN-ERROR-NOTIFY";
	return "UNKNOWN-STATUS-NOTIFY";
}

const char *isakmp_proto_name(unsigned proto)
{
	return LOOKUP(protos, proto, "UNKNOWN-PROTOCOL");
}

const char *isakmp_id_type_name(unsigned type)
{
	return LOOKUP(id_types, type, "UNKNOWN-ID-TYPE");
}

int isakmp_error_set(struct isakmp_error *err, int rc, int notify, uint8_t payload,
		     size_t offset, const char *fmt, ...)
{
	char what[ISAKMP_REASON_LEN], where[32];
	size_t keep;
	va_list ap;

	if (!err)
		return rc;
	err->notify = notify;
	err->payload = payload;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* The offset always survives; a long reason is cut instead. */
	snprintf(where, sizeof(where), " (offset %zu)", offset);
	keep = sizeof(err->reason) - 1 - strlen(where);
	snprintf(err->reason, sizeof(err->reason), "%.*s%s", (int)keep, what, where);
	return rc;
}
