package io.chathub.company;

public record Company(long id, String login, String name, String passwordHash) {}
