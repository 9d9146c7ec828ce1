package io.chathub.canned;

/** A prepared reply of an organization: its shortcut (what an operator types) and its text. */
public record CannedResponse(long id, long organizationId, String shortcut, String text, String createdAt, String updatedAt) {}
