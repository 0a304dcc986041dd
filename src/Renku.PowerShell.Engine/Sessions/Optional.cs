namespace Renku.PowerShell.Sessions;

/// <summary>
/// A value that was given or not. Given null is a value: for a setting Renku can clear it means
/// "none", where not given means "keep what is there".
/// </summary>
public readonly struct Optional<T> : IEquatable<Optional<T>>
{
    private readonly T value;

    public Optional(T value)
    {
        this.value = value;
        IsGiven = true;
    }

    /// <summary>Not given.</summary>
    public static Optional<T> None => default;

    public bool IsGiven { get; }

    /// <summary>The value given; the default of <typeparamref name="T"/> when none was.</summary>
    public T Value => value;

    public static implicit operator Optional<T>(T value) => new(value);

    public static bool operator ==(Optional<T> left, Optional<T> right) => left.Equals(right);

    public static bool operator !=(Optional<T> left, Optional<T> right) => !left.Equals(right);

    /// <summary>The value given, else <paramref name="fallback"/>.</summary>
    public T Or(T fallback) => IsGiven ? value : fallback;

    public bool Equals(Optional<T> other) => IsGiven == other.IsGiven && EqualityComparer<T>.Default.Equals(value, other.value);

    public override bool Equals(object? obj) => obj is Optional<T> other && Equals(other);

    public override int GetHashCode() => IsGiven ? HashCode.Combine(true, value) : 0;

    public override string ToString() => IsGiven ? value?.ToString() ?? "(null)" : "(not given)";
}

/// <summary>Builds <see cref="Optional{T}"/> values.</summary>
public static class Optional
{
    /// <summary>Given, with <paramref name="value"/> (which may be null).</summary>
    public static Optional<T> Of<T>(T value) => new(value);

    /// <summary>Given with <paramref name="value"/> when <paramref name="given"/>, else not given.</summary>
    public static Optional<T> If<T>(bool given, T value) => given ? new(value) : default;
}
