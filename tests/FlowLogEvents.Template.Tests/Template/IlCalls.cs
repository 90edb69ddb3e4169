using System.Reflection;
using System.Reflection.Emit;

namespace FlowLogEvents.Tests.Template;

/// <summary>One call site in compiled code: the calling method's outermost type, and the method called.</summary>
public sealed record CallSite(Type Caller, MethodBase Callee, OpCode OpCode);

/// <summary>
/// Reads the IL of compiled methods and lists the methods they call or construct (call, callvirt,
/// newobj). Compiler-generated types (async state machines, lambdas) count as their outermost
/// declaring type, so a call inside an async method belongs to the class that wrote it.
/// </summary>
public static class IlCalls
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IReadOnlyList<CallSite> In(Assembly assembly) =>
        assembly.GetTypes().SelectMany(In).ToList();

    public static IReadOnlyList<CallSite> In(Type type)
    {
        var caller = Outermost(type);
        var sites = new List<CallSite>();
        var methods = type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything));
        foreach (var method in methods)
        {
            var body = method.GetMethodBody()?.GetILAsByteArray();
            if (body is null)
            {
                continue;
            }

            foreach (var (opCode, token) in Instructions(body))
            {
                if (opCode != OpCodes.Call && opCode != OpCodes.Callvirt && opCode != OpCodes.Newobj)
                {
                    continue;
                }

                var callee = Resolve(method, token);
                if (callee is not null)
                {
                    sites.Add(new CallSite(caller, callee, opCode));
                }
            }
        }

        return sites;
    }

    public static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static MethodBase? Resolve(MethodBase method, int token)
    {
        try
        {
            var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
            var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
            return method.Module.ResolveMethod(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Each instruction's opcode and, for method-token operands, the token (0 otherwise).</summary>
    private static IEnumerable<(OpCode OpCode, int Token)> Instructions(byte[] il)
    {
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[i++]));
            }

            var opCode = OpCodesByValue[value];
            var token = 0;
            switch (opCode.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    var count = BitConverter.ToInt32(il, i);
                    i += 4 + (4 * count);
                    break;
                case OperandType.InlineMethod:
                    token = BitConverter.ToInt32(il, i);
                    i += 4;
                    break;
                default:
                    i += 4;
                    break;
            }

            yield return (opCode, token);
        }
    }
}
