using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;

namespace RouterFunctions.Embeddings.Onnx;

/// <summary>
/// A sentence encoder run in process with ONNX Runtime. One <see cref="InferenceSession"/> per instance
/// (register it as a singleton); <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so concurrent requests share it.
/// </summary>
public sealed class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly string[] InputNames = ["input_ids", "attention_mask"];
    private readonly InferenceSession _session;
    private readonly SentencePieceIds _tokenizer;
    private readonly OnnxEmbeddingOptions _options;
    private readonly string[] _outputNames;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly TimeProvider _time;

    /// <param name="options">Where the model and tokenizer are.</param>
    /// <param name="time">Stamps <see cref="Embedding.CreatedAt"/>; the system clock when not given.</param>
    public OnnxEmbeddingGenerator(OnnxEmbeddingOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _tokenizer = SentencePieceIds.Load(options.TokenizerPath, options.MaxTokens);
        _session = CreateSession(options);
        _outputNames = [_session.OutputNames[0]];
        Dimensions = checked((int)_session.OutputMetadata[_outputNames[0]].Dimensions[^1]);
        _metadata = new EmbeddingGeneratorMetadata("onnx", new Uri(Path.GetFullPath(options.ModelPath)), options.ModelId, Dimensions);
    }

    public int Dimensions { get; }

    public string ModelId => _options.ModelId;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        var vectors = Embed(texts);
        var created = _time.GetUtcNow();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var vector in vectors)
        {
            result.Add(new Embedding<float>(vector) { ModelId = _options.ModelId, CreatedAt = created });
        }

        return result;
    }

    /// <summary>Embeds a batch synchronously; the work is CPU-bound and short.</summary>
    public float[][] Embed(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        var ids = new int[texts.Count][];
        var width = 1;
        for (var i = 0; i < texts.Count; i++)
        {
            ids[i] = _tokenizer.Encode(texts[i]);
            width = Math.Max(width, ids[i].Length);
        }

        // Padding is expressed only through the mask: id 0 is a real token ("unknown") for this model.
        var inputIds = new long[texts.Count * width];
        var mask = new long[texts.Count * width];
        for (var i = 0; i < ids.Length; i++)
        {
            for (var j = 0; j < ids[i].Length; j++)
            {
                inputIds[(i * width) + j] = ids[i][j];
                mask[(i * width) + j] = 1;
            }
        }

        long[] shape = [texts.Count, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, InputNames, [idsValue, maskValue], _outputNames);
        var output = outputs[0];
        var data = output.GetTensorDataAsSpan<float>();
        var outShape = output.GetTensorTypeAndShape().Shape;
        return _options.Pooling == Pooling.MeanL2 || outShape.Length == 3
            ? MeanPooling.Pool(data, mask, texts.Count, width, checked((int)outShape[^1]))
            : Split(data, texts.Count, checked((int)outShape[^1]));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => _session.Dispose();

    private static float[][] Split(ReadOnlySpan<float> data, int rows, int dimensions)
    {
        var result = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            result[i] = data.Slice(i * dimensions, dimensions).ToArray();
        }

        return result;
    }

    private static InferenceSession CreateSession(OnnxEmbeddingOptions options)
    {
        var path = options.ModelPath;
        if (!File.Exists(path))
        {
            throw EmbeddingModelException.For(path, "does not exist");
        }

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            var session = new InferenceSession(path, sessionOptions);
            if (!session.InputNames.Contains(InputNames[0]) || !session.InputNames.Contains(InputNames[1]))
            {
                session.Dispose();
                throw EmbeddingModelException.For(path, $"lacks the inputs {string.Join(", ", InputNames)}");
            }

            return session;
        }
        catch (OnnxRuntimeException e)
        {
            throw EmbeddingModelException.For(path, "could not be loaded as an ONNX model", e);
        }
    }
}
